package dev.banyan.storage.api;

/** Any failure of the storage engine. Retrying may help unless the error is permanent. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
