package dev.banyan.schema.api;

/** A numeric field of a measure: a name and its value type. */
public record FieldSpec(String name, FieldType type) {

    /** The value types a field can hold. */
    public enum FieldType {
        DOUBLE, LONG
    }
}
