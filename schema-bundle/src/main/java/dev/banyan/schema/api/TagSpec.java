package dev.banyan.schema.api;

/** A tag of a measure: a name and its value type. */
public record TagSpec(String name, TagType type) {

    /** The value types a tag can hold. */
    public enum TagType {
        STRING, LONG
    }
}
