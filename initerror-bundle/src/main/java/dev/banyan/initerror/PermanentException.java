package dev.banyan.initerror;

/**
 * The marker wrapper created by {@link PermanentErrors#asPermanent(Throwable)}: it carries the
 * message of the throwable it marks, and that throwable as its cause.
 */
public final class PermanentException extends RuntimeException implements Permanent {

    private static final long serialVersionUID = 1L;

    PermanentException(Throwable cause) {
        super(cause.getMessage(), cause);
    }

    @Override
    public boolean isPermanent() {
        return true;
    }

    /** The message is the marked throwable's own, so the wrapper adds no noise to logs. */
    @Override
    public String toString() {
        return getCause().toString();
    }
}
