package dev.banyan.storage.internal.tsdb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.banyan.storage.api.PointRejectedException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Timestamps;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;

/**
 * [S12][S13a] The timestamps a write accepts, as of the engine's wall clock: inside the supported
 * range, at most {@code maxFuture} ahead of the clock, and, while retention is enabled, no older than
 * {@code now - ttl} (retention would delete such a point right after acknowledging it). One client's
 * wrong clock is refused at the door instead of moving any maintenance clock.
 *
 * @param clock     the engine's wall clock
 * @param maxFuture how far ahead of the clock a point may lie; not negative
 */
record WriteWindow(Clock clock, Duration maxFuture) {

    /** Like VictoriaMetrics, which refuses samples more than 2 days ahead of its clock. */
    static final Duration DEFAULT_MAX_FUTURE = Duration.ofDays(2);

    WriteWindow {
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("the accepted future must not be negative: " + maxFuture);
        }
    }

    /** Refuses the whole batch at its first point outside the window; {@code nowMillis} is the clock's reading. */
    void check(String group, WriteBatch batch, TsdbOptions options, long nowMillis) {
        long oldest = oldestAccepted(options, nowMillis);
        long newest = newestAccepted(nowMillis);
        for (int i = 0; i < batch.size(); i++) {
            long t = batch.timestamp(i);
            if (t >= oldest && t <= newest) {
                continue;
            }
            String point = "group " + group + ": point " + i + " of the batch (series " + batch.series(i) + ", timestamp "
                    + Timestamps.describe(t) + ")";
            String window = "accepted window [" + Instant.ofEpochMilli(oldest) + ", " + Instant.ofEpochMilli(newest)
                    + "] as of the server clock " + Instant.ofEpochMilli(nowMillis);
            String why;
            if (!Timestamps.isSupported(t)) {
                why = " is outside the supported range " + Timestamps.supportedRange();
            } else if (t > newest) {
                why = " is more than " + describe(maxFuture) + " ahead of the server clock (storage maxFutureMinutes="
                        + maxFuture.toMinutes() + "); " + window;
            } else {
                why = " is older than the group's TTL (" + options.ttl() + ") and would be deleted by retention at once; "
                        + window;
            }
            throw new PointRejectedException(i, point + why + "; nothing of the batch was written");
        }
    }

    /** The accepted timestamps as of {@code nowMillis}, half-open: [oldest accepted, newest accepted + 1). */
    TimeRange accepted(TsdbOptions options, long nowMillis) {
        return new TimeRange(oldestAccepted(options, nowMillis), newestAccepted(nowMillis) + 1);
    }

    private static long oldestAccepted(TsdbOptions options, long nowMillis) {
        if (!options.retentionEnabled()) {
            return Timestamps.MIN_MILLIS;
        }
        return Math.max(Timestamps.MIN_MILLIS, nowMillis - options.ttl().duration().toMillis());
    }

    private long newestAccepted(long nowMillis) {
        long ahead = maxFuture.toMillis();
        return ahead >= Timestamps.MAX_MILLIS - nowMillis ? Timestamps.MAX_MILLIS : nowMillis + ahead;
    }

    private static String describe(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
    }
}
