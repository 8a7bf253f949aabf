package dev.banyan.schema.api;

/** Any failure of the schema registry or repository. Permanent if its cause chain says so. */
public class SchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
