package dev.banyan.storage.internal.part;

/**
 * Where a block of one series lies in its part, and what it holds: enough to skip it, or to answer
 * count/sum/min/max without decoding it.
 *
 * @param sums per field, the sum of the values (as doubles)
 */
public record BlockMeta(long seriesId, long offset, int length, int count, long minTs, long maxTs,
        double[] sums, double[] mins, double[] maxs) {
}
