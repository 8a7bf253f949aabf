package dev.banyan.promql.api;

import java.util.Objects;

/**
 * The samples of one series, in ascending timestamp order with unique timestamps.
 *
 * @param labels     the series' labels, {@code __name__} included
 * @param timestamps epoch milliseconds
 * @param values     one value per timestamp; a Prometheus staleness marker is the NaN with bits
 *                   {@link #STALE_NAN_BITS} and must be kept bit-exact
 */
public record Series(Labels labels, long[] timestamps, double[] values) {

    /** The bit pattern of Prometheus's staleness marker: a NaN that ends a series. */
    public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    public Series {
        Objects.requireNonNull(labels, "labels");
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("series " + labels + ": " + timestamps.length + " timestamps but "
                    + values.length + " values");
        }
    }

    public int size() {
        return timestamps.length;
    }

    /** Whether {@code value} is a staleness marker (not any other NaN). */
    public static boolean isStale(double value) {
        return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
    }
}
