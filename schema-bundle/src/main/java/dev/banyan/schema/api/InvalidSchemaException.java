package dev.banyan.schema.api;

/** [R1] A schema object was rejected; the message names the object and the field. */
public class InvalidSchemaException extends SchemaException {

    private static final long serialVersionUID = 1L;

    public InvalidSchemaException(String object, String field, String problem) {
        super(object + ": field '" + field + "': " + problem);
    }
}
