package dev.banyan.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs one workload through one embedded engine with the protocol of ../shared/BENCHMARK.md: one
 * unmeasured warm-up ingest, then per run a default-durability and a durable ingest in fresh
 * directories; the queries on the last default-durability store after a restart (page cache warm),
 * each the median of 21 timed runs after 3 warm-ups.
 */
final class SideBySide {

    /**
     * What one engine measured.
     *
     * @param ingestDefault   points/s per run, default durability
     * @param ingestDurable   points/s per run, one fsync'd commit per batch
     * @param ingestWithClose points/s per run, default durability, until the store is closed
     * @param bytesPerPoint   per run, all files of the closed store / points
     * @param queryMillis     per query, the median of the timed runs
     * @param answers         per query, the answer
     */
    record Figures(String engine, double[] ingestDefault, double[] ingestDurable, double[] ingestWithClose,
            double[] bytesPerPoint, double[] queryMillis, Answer[] answers) {
    }

    private SideBySide() {
    }

    static <D> Figures measure(Supplier<? extends Engine<D>> factory, Workload<D> workload, Path base, int runs,
            boolean durableToo) throws Exception {
        String name;
        try (Engine<D> probe = factory.get()) {
            name = probe.name();
        }
        // One unmeasured ingest first, so no engine is timed on a cold JIT.
        Path warm = base.resolve("warm-up");
        Measure.deleteTree(warm);
        Files.createDirectories(warm);
        try (Engine<D> engine = factory.get()) {
            engine.open(warm, false);
            engine.ingest(workload.data());
        }
        Measure.deleteTree(warm);
        double[] ingestDefault = new double[runs];
        double[] ingestDurable = new double[durableToo ? runs : 0];
        double[] ingestWithClose = new double[runs];
        double[] bytes = new double[runs];
        int queries = workload.queries().size();
        double[] queryMillis = new double[queries];
        Answer[] answers = new Answer[queries];
        for (int run = 0; run < runs; run++) {
            for (boolean durable : durableToo ? new boolean[] {false, true} : new boolean[] {false}) {
                Path dir = base.resolve((durable ? "durable-" : "default-") + run);
                Measure.deleteTree(dir);
                Files.createDirectories(dir);
                Engine<D> engine = factory.get();
                engine.open(dir, durable);
                System.gc();
                long start = System.nanoTime();
                engine.ingest(workload.data());
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = workload.points() / seconds;
                (durable ? ingestDurable : ingestDefault)[run] = rate;
                engine.close();
                double withClose = workload.points() / ((System.nanoTime() - start) / 1e9);
                System.out.printf("%s %s run %d %s ingest: %.2f s, %.2f M points/s (%.2f incl. close)%n", workload.name(), name,
                        run, durable ? "durable" : "default", seconds, rate / 1e6, withClose / 1e6);
                if (!durable) {
                    ingestWithClose[run] = withClose;
                    bytes[run] = (double) Measure.size(dir) / workload.points();
                }
                if (!durable && run == runs - 1) {
                    // Queries on the last default-durability store, after a restart so everything comes from disk.
                    try (Engine<D> reopened = factory.get()) {
                        reopened.reopen(dir);
                        for (int q = 0; q < queries; q++) {
                            int query = q;
                            Measure.Timing timing = Measure.time(() -> reopened.query(query));
                            queryMillis[q] = timing.medianMillis();
                            answers[q] = timing.answer();
                            System.out.printf("%s %s %s: %.3f ms, %s%n", workload.name(), name,
                                    workload.queries().get(q).label(), timing.medianMillis(), timing.answer().summary());
                        }
                    }
                }
                Measure.deleteTree(dir);
            }
        }
        return new Figures(name, ingestDefault, ingestDurable, ingestWithClose, bytes, queryMillis, answers);
    }
}
