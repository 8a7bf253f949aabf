package dev.banyan.server.api;

/** A write was refused whole because a point does not fit its measure; the message says which and why. */
public class InvalidPointException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidPointException(String message) {
        super(message);
    }
}
