package dev.banyan.storage.api;

import java.time.Duration;

/** The unit of a segment interval or a TTL. */
public enum IntervalUnit {
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1));

    private final Duration duration;

    IntervalUnit(Duration duration) {
        this.duration = duration;
    }

    /** The nominal length of one unit (a DAY is 24 hours; local-time segments follow the calendar). */
    public Duration duration() {
        return duration;
    }
}
