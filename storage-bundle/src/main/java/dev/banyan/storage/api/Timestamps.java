package dev.banyan.storage.api;

import java.time.Instant;

/**
 * [S12] The timestamps the engine stores: what a write accepts, a reopen can always read. Every
 * door (the engine's {@link Tsdb#write}, the server's {@code MeasureService}, the shell, the
 * network protocols) refuses a timestamp outside this range, naming the point.
 * <p>
 * The range is [{@value #MIN_MILLIS}, {@value #MAX_MILLIS}] epoch milliseconds, that is
 * [1970-01-01T00:00:00.001Z, 9999-12-31T23:59:59.999Z]: positive (as [S12] requires) and within
 * four-digit years, so every segment name and every RFC 3339 time in metadata stays parsable.
 * A group's own write window (see the storage component's {@code maxFutureMinutes} and the group's
 * TTL) narrows what a write accepts further.
 */
public final class Timestamps {

    /** The first supported timestamp, 1970-01-01T00:00:00.001Z, in epoch milliseconds. */
    public static final long MIN_MILLIS = 1L;
    /** The last supported timestamp, 9999-12-31T23:59:59.999Z, in epoch milliseconds. */
    public static final long MAX_MILLIS = 253_402_300_799_999L;

    private Timestamps() {
    }

    /** Whether {@code epochMillis} lies in the supported range (both ends included). */
    public static boolean isSupported(long epochMillis) {
        return epochMillis >= MIN_MILLIS && epochMillis <= MAX_MILLIS;
    }

    /** The range as text for error messages: {@code [1970-01-01T00:00:00.001Z, 9999-12-31T23:59:59.999Z]}. */
    public static String supportedRange() {
        return "[" + Instant.ofEpochMilli(MIN_MILLIS) + ", " + Instant.ofEpochMilli(MAX_MILLIS) + "]";
    }

    /** A timestamp for error messages, readable and exact: {@code 2024-01-01T00:00:00Z (1704067200000)}. */
    public static String describe(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis) + " (" + epochMillis + ")";
    }
}
