package dev.banyan.schema.api;

/** A group or a measure, with the revisions the registry assigned to it. */
public sealed interface SchemaObject permits Group, Measure {

    Kind kind();

    /** "group g1" or "measure g1/cpu": how messages name this object. */
    String describe();

    long createRevision();

    long modRevision();
}
