package dev.banyan.storage.api;

/** When a write is acknowledged. */
public enum Durability {
    /** After the batch is fsync'd to the write-ahead log: survives power loss and {@code kill -9}. */
    FSYNC,
    /** After the operating system has the bytes: survives {@code kill -9} of the JVM, not power loss. */
    OS
}
