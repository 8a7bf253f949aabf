package dev.banyan.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small statistics and file helpers every benchmark shares. */
public final class Measure {

    /** Query protocol of ../shared/BENCHMARK.md: 21 timed runs after 3 warm-ups, the median reported. */
    public static final int QUERY_RUNS = 21;
    public static final int WARMUPS = 3;

    private Measure() {
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The p-th percentile (0..100) by nearest rank. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** A query timed the protocol's way. */
    interface Timed {
        Answer run() throws Exception;
    }

    /** Result of {@link #time}: the median in ms and the last answer. */
    record Timing(double medianMillis, Answer answer) {
    }

    static Timing time(Timed query) throws Exception {
        double[] times = new double[QUERY_RUNS];
        Answer answer = null;
        for (int i = 0; i < WARMUPS + QUERY_RUNS; i++) {
            long start = System.nanoTime();
            answer = query.run();
            if (i >= WARMUPS) {
                times[i - WARMUPS] = (System.nanoTime() - start) / 1e6;
            }
        }
        return new Timing(median(times), answer);
    }

    /** Bytes of every regular file under {@code dir}. */
    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
