package dev.banyan.benchmarks;

/**
 * Dataset D1 of shared/BENCHMARK.md, generated exactly as specified and held in memory so the
 * engines are timed on storing, not on generating: 1,000 series x 10,000 timestamps every 10 s
 * from 2024-01-01T00:00:00Z, time-major, a 2-decimal random walk per series.
 */
final class D1Dataset {

    static final int SERIES = 1_000;
    static final int TIMESTAMPS = 10_000;
    static final long POINTS = (long) SERIES * TIMESTAMPS;
    static final long START_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    static final long STEP_MILLIS = 10_000L;
    static final int BATCH = 10_000;

    final String[] hosts = new String[SERIES];
    final String[] regions = new String[SERIES];
    /** values[t * SERIES + i]: series i at timestamp t, in arrival order. */
    final double[] values = new double[(int) POINTS];

    D1Dataset() {
        double[] cur = new double[SERIES];
        for (int i = 0; i < SERIES; i++) {
            hosts[i] = "host_" + i;
            regions[i] = "region_" + (i % 10);
            cur[i] = 50 + (i % 50);
        }
        long seed = 42;
        int k = 0;
        for (int t = 0; t < TIMESTAMPS; t++) {
            for (int i = 0; i < SERIES; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L;
                double delta = ((seed >>> 40) % 201 - 100) / 100.0;
                cur[i] = Math.round((cur[i] + delta) * 100) / 100.0;
                values[k++] = cur[i];
            }
        }
    }

    static long timestamp(int t) {
        return START_MILLIS + t * STEP_MILLIS;
    }
}
