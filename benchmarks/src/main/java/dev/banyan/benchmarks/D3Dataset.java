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
 * <p>
 * Scaled down ({@link #D3Dataset(int)}: fewer series, same tags, timestamps, windows and batches)
 * only where a benchmark says so next to its figures.
 */
public final class D3Dataset {

    public static final int SERIES = 200_000;
    public static final int TIMESTAMPS = 50;
    public static final long POINTS = (long) SERIES * TIMESTAMPS;
    public static final long START_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    public static final long STEP_MILLIS = 15_000L;
    static final int WINDOW = 8;
    public static final int BATCH = 5_000;
    /** Tag names in the order of {@link #tags}; {@code host} is the entity. */
    public static final String[] TAG_NAMES = {"host", "region", "az", "rack", "service", "version", "team"};

    /** Series in this instance: {@link #SERIES} unless scaled down. */
    public final int seriesCount;
    /** tags[tag][i]: the value of tag {@code TAG_NAMES[tag]} of series i. */
    public final String[][] tags;
    /** Arrival order: the series of each point. */
    public final int[] series;
    /** Arrival order: the timestamp index (0..49) of each point. */
    public final byte[] timestamp;
    /** Arrival order: the value of each point. */
    public final double[] values;

    /** D3 as specified: {@link #SERIES} series. */
    public D3Dataset() {
        this(SERIES);
    }

    /** D3 with {@code seriesCount} series (ids 0..seriesCount-1, tags and arrival as specified). */
    public D3Dataset(int seriesCount) {
        int total = seriesCount * TIMESTAMPS;
        this.seriesCount = seriesCount;
        tags = new String[TAG_NAMES.length][seriesCount];
        series = new int[total];
        timestamp = new byte[total];
        values = new double[total];
        for (int i = 0; i < seriesCount; i++) {
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
            int[] points = new int[count * seriesCount];
            for (int p = 0; p < points.length; p++) {
                points[p] = p;
            }
            Collections.shuffle(new IntList(points), new Random(2024 + window));
            for (int point : points) {
                series[k] = point % seriesCount;
                timestamp[k] = (byte) (first + point / seriesCount);
                k++;
            }
        }
        SplittableRandom rnd = new SplittableRandom(2024);
        for (int p = 0; p < values.length; p++) {
            values[p] = rnd.nextInt(1_000_000) / 1000.0;
        }
    }

    public static long timestamp(int t) {
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
