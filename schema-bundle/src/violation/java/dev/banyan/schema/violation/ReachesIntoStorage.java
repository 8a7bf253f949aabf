package dev.banyan.schema.violation;

/** Compiled only by the violation-schema-internal profile: the schema bundle must never import storage internals. */
final class ReachesIntoStorage {
    static final Class<?> ENGINE = dev.banyan.storage.internal.tsdb.TsdbEngine.class;
}
