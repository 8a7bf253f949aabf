package dev.banyan.benchmarks;

/**
 * Dataset D1 of shared/BENCHMARK.md, generated exactly as specified and held in memory so the
 * engines are timed on storing, not on generating: 1,000 series x 10,000 timestamps every 10 s
 * from 2024-01-01T00:00:00Z, time-major, a 2-decimal random walk per series.
 * <p>
 * Scaled down ({@link #D1Dataset(int)}: the first timestamps only, every value as in the full set)
 * only where a benchmark says so next to its figures.
 */
public final class D1Dataset {

    public static final int SERIES = 1_000;
    public static final int TIMESTAMPS = 10_000;
    public static final long POINTS = (long) SERIES * TIMESTAMPS;
    public static final long START_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    public static final long STEP_MILLIS = 10_000L;
    public static final int BATCH = 10_000;

    public final String[] hosts = new String[SERIES];
    public final String[] regions = new String[SERIES];
    /** Timestamps in this instance: {@link #TIMESTAMPS} unless scaled down. */
    public final int timestamps;
    /** values[t * SERIES + i]: series i at timestamp t, in arrival order. */
    public final double[] values;

    /** D1 as specified. */
    public D1Dataset() {
        this(TIMESTAMPS);
    }

    /** The first {@code timestamps} timestamps of D1. */
    public D1Dataset(int timestamps) {
        this.timestamps = timestamps;
        values = new double[timestamps * SERIES];
        double[] cur = new double[SERIES];
        for (int i = 0; i < SERIES; i++) {
            hosts[i] = "host_" + i;
            regions[i] = "region_" + (i % 10);
            cur[i] = 50 + (i % 50);
        }
        long seed = 42;
        int k = 0;
        for (int t = 0; t < timestamps; t++) {
            for (int i = 0; i < SERIES; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                double delta = ((seed >>> 40) % 201 - 100) / 100.0;
                cur[i] = Math.round((cur[i] + delta) * 100) / 100.0;
                values[k++] = cur[i];
            }
        }
    }

    public static long timestamp(int t) {
        return START_MILLIS + t * STEP_MILLIS;
    }
}
