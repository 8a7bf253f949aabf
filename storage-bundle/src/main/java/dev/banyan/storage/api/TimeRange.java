package dev.banyan.storage.api;

/** The half-open interval [{@code startMillis}, {@code endMillis}) in epoch milliseconds. */
public record TimeRange(long startMillis, long endMillis) {

    public TimeRange {
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("time range ends before it starts: [" + startMillis + ", " + endMillis + ")");
        }
    }

    public static TimeRange all() {
        return new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public boolean contains(long timestampMillis) {
        return timestampMillis >= startMillis && timestampMillis < endMillis;
    }

    /** Whether this range shares any instant with [{@code start}, {@code end}). */
    public boolean overlaps(long start, long end) {
        return start < endMillis && startMillis < end;
    }
}
