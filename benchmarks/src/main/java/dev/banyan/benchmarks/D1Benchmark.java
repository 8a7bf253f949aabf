package dev.banyan.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs dataset D1 through Banyan and embedded QuestDB in the same JVM, one engine at a time, and
 * prints each figure for both with the ratio. Ingest and size: median of {@code bench.runs} runs
 * (fresh directories); queries: median of 21 timed runs after 3 warm-ups, warm page cache.
 */
public final class D1Benchmark {

    private static final int QUERY_RUNS = 21;
    private static final int WARMUPS = 3;

    record Figures(double ingestDefault, double ingestDurable, double ingestWithClose, double bytesPerPoint, double q1, double q2,
            double q2Unaligned, double q3) {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        Path root = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        System.out.printf("D1: %,d points; %d run(s) per ingest figure; JVM %s, %d cores, max heap %d MiB%n",
                D1Dataset.POINTS, runs, System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        D1Dataset data = new D1Dataset();
        Figures banyan = measure(BanyanEngine::new, data, root.resolve("banyan"), runs);
        Figures questdb = measure(QuestDbEngine::new, data, root.resolve("questdb"), runs);
        System.out.println();
        System.out.println("| figure | Banyan | QuestDB 9.3.4 | ratio (Banyan / QuestDB) | target |");
        System.out.println("|---|---|---|---|---|");
        row("ingest, default durability (M points/s)", banyan.ingestDefault() / 1e6, questdb.ingestDefault() / 1e6, ">= 1.0");
        row("ingest, fsync per 10k points (M points/s)", banyan.ingestDurable() / 1e6, questdb.ingestDurable() / 1e6, ">= 1.0");
        row("ingest incl. close, default durability (M points/s)", banyan.ingestWithClose() / 1e6,
                questdb.ingestWithClose() / 1e6, "(info)");
        row("bytes per point", banyan.bytesPerPoint(), questdb.bytesPerPoint(), "<= 1.4 B/pt");
        row("q1 one series, one hour (ms)", banyan.q1(), questdb.q1(), "<= 1.0");
        row("q2 all series, one hour, avg+max per host (ms)", banyan.q2(), questdb.q2(), "<= 1.0");
        row("q2 with an unaligned hour, 12:07-13:07 (ms)", banyan.q2Unaligned(), questdb.q2Unaligned(), "(info)");
        row("q3 count+sum of all points (ms)", banyan.q3(), questdb.q3(), "<= 2.0");
    }

    private static void row(String figure, double ours, double peer, String target) {
        System.out.printf("| %s | %.3f | %.3f | %.2f | %s |%n", figure, ours, peer, ours / peer, target);
    }

    private static Figures measure(Supplier<Engine> factory, D1Dataset data, Path base, int runs) throws Exception {
        String name;
        try (Engine probe = factory.get()) {
            name = probe.name();
        }
        // One unmeasured ingest first, so neither engine is timed on a cold JIT.
        Path warm = base.resolve("warm-up");
        deleteTree(warm);
        Files.createDirectories(warm);
        try (Engine engine = factory.get()) {
            engine.open(warm, false);
            engine.ingest(data);
        }
        deleteTree(warm);
        double[] ingestDefault = new double[runs];
        double[] ingestDurable = new double[runs];
        double[] ingestWithClose = new double[runs];
        double[] bytes = new double[runs];
        double[] answers = null;
        double q1 = 0;
        double q2 = 0;
        double q2u = 0;
        double q3 = 0;
        for (int run = 0; run < runs; run++) {
            for (boolean durable : new boolean[] {false, true}) {
                Path dir = base.resolve((durable ? "durable-" : "default-") + run);
                deleteTree(dir);
                Files.createDirectories(dir);
                Engine engine = factory.get();
                engine.open(dir, durable);
                System.gc();
                long start = System.nanoTime();
                engine.ingest(data);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = D1Dataset.POINTS / seconds;
                (durable ? ingestDurable : ingestDefault)[run] = rate;
                System.out.printf("%s run %d %s ingest: %.2f s, %.2f M points/s%n", name, run, durable ? "durable" : "default",
                        seconds, rate / 1e6);
                if (!durable) {
                    engine.close();
                    ingestWithClose[run] = D1Dataset.POINTS / ((System.nanoTime() - start) / 1e9);
                }
                if (!durable && run == runs - 1) {
                    // Queries on the last default-mode store, after a restart so everything comes from disk.
                    engine = factory.get();
                    reopen(engine, dir);
                    double[] timed = timeQueries(engine);
                    q1 = timed[0];
                    q2 = timed[1];
                    q3 = timed[2];
                    q2u = timed[3];
                    answers = Arrays.copyOfRange(timed, 4, timed.length);
                }
                engine.close();
                if (!durable) {
                    bytes[run] = (double) size(dir) / D1Dataset.POINTS;
                }
                deleteTree(dir);
            }
        }
        System.out.printf("%s answers: q1 sum %.2f, q2 sum %.4f, q2 unaligned sum %.4f, q3 count %.0f sum %.2f%n", name,
                answers[0], answers[1], answers[4], answers[2], answers[3]);
        return new Figures(median(ingestDefault), median(ingestDurable), median(ingestWithClose), median(bytes), q1, q2, q2u, q3);
    }

    private static void reopen(Engine engine, Path dir) throws Exception {
        if (engine instanceof QuestDbEngine) {
            // Re-attach to the existing table rather than creating it.
            ((QuestDbEngine) engine).reopen(dir);
        } else {
            engine.open(dir, false);
        }
    }

    /** Median times in ms of q1, q2, q3, q2 unaligned, then the answers (q1 sum, q2 sum, q3 count, q3 sum, q2u sum). */
    private static double[] timeQueries(Engine engine) throws Exception {
        List<double[]> samples = new ArrayList<>();
        double[] answers = new double[5];
        for (int q = 0; q < 4; q++) {
            double[] times = new double[QUERY_RUNS];
            for (int i = 0; i < WARMUPS + QUERY_RUNS; i++) {
                long start = System.nanoTime();
                switch (q) {
                    case 0 -> answers[0] = engine.q1();
                    case 1 -> answers[1] = engine.q2();
                    case 3 -> answers[4] = engine.q2Unaligned();
                    default -> {
                        double[] r = engine.q3();
                        answers[2] = r[0];
                        answers[3] = r[1];
                    }
                }
                if (i >= WARMUPS) {
                    times[i - WARMUPS] = (System.nanoTime() - start) / 1e6;
                }
            }
            samples.add(times);
        }
        return new double[] {median(samples.get(0)), median(samples.get(1)), median(samples.get(2)), median(samples.get(3)),
            answers[0], answers[1], answers[2], answers[3], answers[4]};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
