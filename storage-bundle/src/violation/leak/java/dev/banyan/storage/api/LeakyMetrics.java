package dev.banyan.storage.api;

/** Compiled only by the violation-api-leak profile: an API type must not expose an internal type. */
public interface LeakyMetrics {
    dev.banyan.storage.internal.tsdb.StorageMetrics metrics();
}
