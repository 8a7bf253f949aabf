package dev.banyan.storage.api;

/** The value type of a measure field. */
public enum FieldType {
    DOUBLE, LONG
}
