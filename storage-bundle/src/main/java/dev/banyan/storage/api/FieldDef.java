package dev.banyan.storage.api;

import java.util.Objects;

/** A named, typed field of a measure. */
public record FieldDef(String name, FieldType type) {

    public FieldDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static FieldDef ofDouble(String name) {
        return new FieldDef(name, FieldType.DOUBLE);
    }

    public static FieldDef ofLong(String name) {
        return new FieldDef(name, FieldType.LONG);
    }
}
