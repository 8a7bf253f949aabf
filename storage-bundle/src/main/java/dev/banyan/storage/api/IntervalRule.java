package dev.banyan.storage.api;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code num} times {@code unit}: a segment interval or a TTL. A rule with {@code num == 0} is
 * "absent", which {@link StorageEngine#open} rejects.
 */
public record IntervalRule(IntervalUnit unit, int num) {

    public IntervalRule {
        Objects.requireNonNull(unit, "unit");
        if (num < 0) {
            throw new IllegalArgumentException("interval num must not be negative: " + num);
        }
    }

    public static IntervalRule days(int num) {
        return new IntervalRule(IntervalUnit.DAY, num);
    }

    public static IntervalRule hours(int num) {
        return new IntervalRule(IntervalUnit.HOUR, num);
    }

    public boolean isAbsent() {
        return num == 0;
    }

    /** {@code num} times the unit's nominal length. */
    public Duration duration() {
        return unit.duration().multipliedBy(num);
    }

    @Override
    public String toString() {
        return num + " " + unit;
    }
}
