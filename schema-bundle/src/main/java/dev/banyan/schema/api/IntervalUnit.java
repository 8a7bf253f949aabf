package dev.banyan.schema.api;

/** The unit of a group's segment interval or TTL. */
public enum IntervalUnit {
    HOUR, DAY
}
