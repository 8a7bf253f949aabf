package dev.banyan.benchmarks;

import java.util.AbstractList;
import java.util.Collections;
import java.util.Random;
import java.util.RandomAccess;
import java.util.SplittableRandom;

/**
 * Dataset D3 of ../shared/BENCHMARK.md, generated exactly as specified and held in memory: 200,000
 * series with seven tags x 50 timestamps every 15 s from 2024-01-01T00:00:00Z; arrival in windows of
 * 8 timestamps, each window's points (built time-major) shuffled with
 * {@code Collections.shuffle(list, new Random(2024 + window))}; values {@code rnd.nextInt(1_000_000) /
 * 1000.0} drawn from {@code new SplittableRandom(2024)} in arrival order; batches of 5,000 points.
 */
final class D3Dataset {

    static final int SERIES = 200_000;
    static final int TIMESTAMPS = 50;
    static final long POINTS = (long) SERIES * TIMESTAMPS;
    static final long START_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    static final long STEP_MILLIS = 15_000L;
    static final int WINDOW = 8;
    static final int BATCH = 5_000;
    /** Tag names in the order of {@link #tags}; {@code host} is the entity. */
    static final String[] TAG_NAMES = {"host", "region", "az", "rack", "service", "version", "team"};

    /** tags[tag][i]: the value of tag {@code TAG_NAMES[tag]} of series i. */
    final String[][] tags = new String[TAG_NAMES.length][SERIES];
    /** Arrival order: the series of each point. */
    final int[] series = new int[(int) POINTS];
    /** Arrival order: the timestamp index (0..49) of each point. */
    final byte[] timestamp = new byte[(int) POINTS];
    /** Arrival order: the value of each point. */
    final double[] values = new double[(int) POINTS];

    D3Dataset() {
        for (int i = 0; i < SERIES; i++) {
            tags[0][i] = "host_" + i;
            tags[1][i] = "region_" + (i % 12);
            tags[2][i] = "az_" + (i % 3);
            tags[3][i] = "rack_" + (i % 500);
            tags[4][i] = "svc_" + (i % 80);
            tags[5][i] = "v" + (i % 7);
            tags[6][i] = "team_" + (i % 25);
        }
        int k = 0;
        for (int window = 0; window * WINDOW < TIMESTAMPS; window++) {
            int first = window * WINDOW;
            int count = Math.min(WINDOW, TIMESTAMPS - first);
            // Element = (timestamp offset in the window) * SERIES + series, time-major before the shuffle.
            int[] points = new int[count * SERIES];
            for (int p = 0; p < points.length; p++) {
                points[p] = p;
            }
            Collections.shuffle(new IntList(points), new Random(2024 + window));
            for (int point : points) {
                series[k] = point % SERIES;
                timestamp[k] = (byte) (first + point / SERIES);
                k++;
            }
        }
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int p = 0; p < values.length; p++) {
            values[p] = rnd.nextInt(1_000_000) / 1000.0;
        }
    }

    static long timestamp(int t) {
        return START_MILLIS + t * STEP_MILLIS;
    }

    /** An int[] seen as a List, so the shuffle is {@code Collections.shuffle} itself, not a copy of it. */
    private static final class IntList extends AbstractList<Integer> implements RandomAccess {
        private final int[] elements;

        IntList(int[] elements) {
            this.elements = elements;
        }

        @Override
        public Integer get(int index) {
            return elements[index];
        }

        @Override
        public Integer set(int index, Integer element) {
            int previous = elements[index];
            elements[index] = element;
            return previous;
        }

        @Override
        public int size() {
            return elements.length;
        }
    }
}
