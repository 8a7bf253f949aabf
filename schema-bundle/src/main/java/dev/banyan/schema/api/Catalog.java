package dev.banyan.schema.api;

/** What kind of data a group holds. Measures are the only catalog this release stores. */
public enum Catalog {
    MEASURE
}
