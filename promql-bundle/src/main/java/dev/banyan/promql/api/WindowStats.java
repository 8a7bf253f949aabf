package dev.banyan.promql.api;

import java.util.Objects;

/**
 * Statistics of one series' values in each of a list of time windows, as a storage can often give
 * them from its block statistics without reading the samples (see
 * {@link SeriesSource#windowStats}). Arrays are indexed by window.
 *
 * @param labels the series' labels, {@code __name__} included
 * @param counts samples in each window (0: none)
 * @param sums   sum of the values in each window; NaN when the window may hold a NaN (a staleness
 *               marker is one), which tells the engine to read that window's samples instead
 * @param mins   smallest value in each window (meaningful when the count is positive and the sum not NaN)
 * @param maxs   largest value in each window (likewise)
 */
public record WindowStats(Labels labels, long[] counts, double[] sums, double[] mins, double[] maxs) {

    public WindowStats {
        Objects.requireNonNull(labels, "labels");
        int n = counts.length;
        if (sums.length != n || mins.length != n || maxs.length != n) {
            throw new IllegalArgumentException("window statistics of " + labels + " have unequal lengths");
        }
    }
}
