package dev.banyan.storage.internal.codec;

/** Encoded data that cannot be what the engine wrote; callers add the file name and offset. */
public final class CorruptDataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CorruptDataException(String message) {
        super(message);
    }
}
