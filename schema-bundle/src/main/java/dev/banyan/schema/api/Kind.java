package dev.banyan.schema.api;

/** The kinds of schema object, used to subscribe handlers to the events they care about. */
public enum Kind {
    GROUP, MEASURE
}
