package dev.banyan.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * D1 and D3 (../shared/BENCHMARK.md) through Banyan's storage engine and embedded QuestDB 9.3.4 in
 * one JVM, one engine at a time: ingest and size per run, queries on a reopened store, the answers
 * of both engines compared, one table per data set.
 */
public final class EmbeddedBenchmark {

    private EmbeddedBenchmark() {
    }

    /** Per data set: the ingest and size targets (ratio ours / QuestDB, or an absolute bound), then the queries. */
    static Workload<D1Dataset> d1() {
        return new Workload<>("D1", new D1Dataset(), D1Dataset.POINTS, List.of(
                new Workload.Figure("q1 one series, one hour (ms)", "<= 1.0"),
                new Workload.Figure("q2 all series, one hour, avg+max per host (ms)", "<= 1.0"),
                new Workload.Figure("q3 count+sum of all points (ms)", "<= 2.0"),
                new Workload.Figure("q2 with an unaligned hour, 12:07-13:07 (ms)", "(info)")));
    }

    static Workload<D3Dataset> d3() {
        return new Workload<>("D3", new D3Dataset(), D3Dataset.POINTS, List.of(
                new Workload.Figure("q4 one series among 200,000, all time (ms)", "<= 1.0"),
                new Workload.Figure("q5 avg per region, all time, 12 rows (ms)", "<= 1.0"),
                new Workload.Figure("q6 count+sum of all points (ms)", "<= 1.0"),
                new Workload.Figure("q7 max per rack, one minute, 500 rows (ms)", "<= 1.0"),
                new Workload.Figure("q8 sum per service where host =~ host_1[0-9]*7 (ms)", "<= 1.0")));
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 3);
        List<String> sets = List.of(System.getProperty("bench.sets", "d1,d3").split(","));
        Path root = Path.of(System.getProperty("bench.dir", "target/bench-data")).toAbsolutePath();
        System.out.printf("Embedded: %s; %d run(s) per ingest figure; JVM %s, %d cores, max heap %d MiB%n", sets, runs,
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        List<Runnable> tables = new ArrayList<>();
        if (sets.contains("d1")) {
            tables.add(run(d1(), BanyanD1::new, QuestDbD1::new, root, runs, "<= 1.4 B/pt", true));
        }
        if (sets.contains("d3")) {
            // No durable D3 run: QuestDB's SYNC commit per 5,000 out-of-order rows rewrites the partition tail each time (hours).
            tables.add(run(d3(), BanyanD3::new, QuestDbD3::new, root, runs, "<= 0.5", false));
        }
        tables.forEach(Runnable::run);
    }

    /** Measures both engines on one workload; returns the printing of its table (all tables come last). */
    private static <D> Runnable run(Workload<D> workload, Supplier<Engine<D>> banyan, Supplier<Engine<D>> questdb, Path root,
            int runs, String bytesTarget, boolean durableToo) throws Exception {
        Path base = root.resolve(workload.name().toLowerCase());
        SideBySide.Figures ours = SideBySide.measure(banyan, workload, base.resolve("banyan"), runs, durableToo);
        SideBySide.Figures peer = SideBySide.measure(questdb, workload, base.resolve("questdb"), runs, durableToo);
        List<String> differences = new ArrayList<>();
        for (int q = 0; q < workload.queries().size(); q++) {
            String difference = ours.answers()[q].difference(peer.answers()[q]);
            if (difference != null) {
                differences.add(workload.name() + " " + workload.queries().get(q).label() + ": answers differ: " + difference);
            }
        }
        List<Report.Row> rows = new ArrayList<>();
        rows.add(new Report.Row("ingest, default durability (M points/s)",
                new double[] {Measure.median(ours.ingestDefault()) / 1e6, Measure.median(peer.ingestDefault()) / 1e6}, ">= 1.0"));
        if (durableToo) {
            rows.add(new Report.Row("ingest, fsync per batch (M points/s)",
                    new double[] {Measure.median(ours.ingestDurable()) / 1e6, Measure.median(peer.ingestDurable()) / 1e6}, ">= 1.0"));
        }
        rows.add(new Report.Row("ingest incl. close, default durability (M points/s)",
                new double[] {Measure.median(ours.ingestWithClose()) / 1e6, Measure.median(peer.ingestWithClose()) / 1e6},
                "(info)"));
        rows.add(new Report.Row("bytes per point",
                new double[] {Measure.median(ours.bytesPerPoint()), Measure.median(peer.bytesPerPoint())}, bytesTarget));
        for (int q = 0; q < workload.queries().size(); q++) {
            Workload.Figure figure = workload.queries().get(q);
            rows.add(new Report.Row(figure.label(), new double[] {ours.queryMillis()[q], peer.queryMillis()[q]}, figure.target()));
        }
        return () -> {
            Report.print(workload.name() + ": Banyan vs embedded QuestDB 9.3.4 (medians of " + runs + " ingest runs; queries: "
                    + "median of 21 after 3 warm-ups, page cache warm)", List.of("Banyan", "QuestDB 9.3.4"), rows);
            System.out.println(differences.isEmpty() ? "Answers: identical in both engines (relative tolerance " + Answer.TOLERANCE + ")."
                    : "ANSWERS DIFFER:\n" + String.join("\n", differences));
        };
    }
}
