package dev.banyan.schema.api;

/**
 * A revision-checked change found the object at another revision than the caller read: someone
 * changed it in between. Nothing was written; re-read the object and apply the change again.
 */
public class RevisionConflictException extends SchemaException {

    private static final long serialVersionUID = 1L;

    public RevisionConflictException(String message) {
        super(message);
    }
}
