package dev.banyan.storage.internal.shard;

import java.util.Arrays;
import java.util.List;

/**
 * Combines sorted point runs of one series, given oldest first, into one sorted run where a newer
 * run's point replaces an older one at the same timestamp [S17].
 */
public final class PointMerger {

    /** A sorted run: timestamps and row-major values ({@code fields} per point). */
    public record Run(long[] timestamps, long[] values, int size) {
    }

    private PointMerger() {
    }

    /** The first index in {@code sorted[0..size)} whose value is not below {@code key}. */
    public static int lowerBound(long[] sorted, int size, long key) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public static Run merge(List<Run> runs, int fields) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        int total = runs.stream().mapToInt(Run::size).sum();
        long[] ts = new long[total];
        long[] vals = new long[total * fields];
        int n = 0;
        boolean ordered = true;
        for (Run run : runs) {
            if (run.size() == 0) {
                continue;
            }
            if (n > 0 && run.timestamps()[0] <= ts[n - 1]) {
                ordered = false;
            }
            System.arraycopy(run.timestamps(), 0, ts, n, run.size());
            System.arraycopy(run.values(), 0, vals, n * fields, run.size() * fields);
            n += run.size();
        }
        return ordered ? new Run(ts, vals, n) : sortKeepingLast(ts, vals, n, fields);
    }

    /** Stable sort by timestamp; of equal timestamps the last one (the newest write) is kept. */
    static Run sortKeepingLast(long[] ts, long[] vals, int n, int fields) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b])); // stable: newer runs stay after older ones
        long[] outTs = new long[n];
        long[] outVals = new long[n * fields];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            if (m > 0 && outTs[m - 1] == ts[i]) {
                m--;
            }
            outTs[m] = ts[i];
            System.arraycopy(vals, i * fields, outVals, m * fields, fields);
            m++;
        }
        return new Run(outTs, outVals, m);
    }
}
