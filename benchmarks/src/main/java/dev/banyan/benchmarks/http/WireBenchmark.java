package dev.banyan.benchmarks.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.net.http.HttpClient;

import dev.banyan.benchmarks.Answer;
import dev.banyan.benchmarks.D1Dataset;
import dev.banyan.benchmarks.D3Dataset;
import dev.banyan.benchmarks.Measure;
import dev.banyan.benchmarks.Report;

/**
 * Issue #14, deliver item 3: D1 and D3 over the wire, side by side. The load generator encodes each
 * data set once as Prometheus remote-write requests and once as line protocol (the same bytes for
 * every server) and sends them over loopback with {@code bench.connections} (8) concurrent
 * connections: remote write to Banyan's assembly, VictoriaMetrics and Prometheus, line protocol to
 * a fresh Banyan and to InfluxDB. Each server is started on free loopback ports with its own data
 * directory, one at a time, and stopped after. Per server: samples/s, p99 request latency, bytes per
 * sample on disk after a flush and a clean stop, peak resident memory; then five PromQL range
 * queries against the remote-write servers (median of 21 after 3 warm-ups), answers compared with
 * Prometheus's. One table per data set and protocol, with the ratios Banyan / peer.
 * <p>
 * Properties: {@code bench.sets} (d1,d3), {@code bench.runs} (1: figures are medians over runs),
 * {@code bench.d1Timestamps} (10000: D1 scaled down to its first timestamps; at least 4681, the
 * queries read 12:00-13:00), {@code bench.d3Series} (200000: D3 scaled down to fewer series), {@code bench.connections} (8),
 * {@code bench.servers} (banyan,victoriametrics,prometheus,influxdb: the servers run; answers are compared with the
 * last remote-write server's), {@code bench.durability} (Banyan's, FSYNC as shipped), {@code bench.banyanJavaOpts} (added to the server JVM's options,
 * e.g. a flight recording), {@code bench.assembly}, {@code bench.dir}.
 */
public final class WireBenchmark {

    /** A server as the benchmark starts it in a home directory of its own. */
    private interface Starter {
        WireServer start(Path home) throws Exception;
    }

    private record Contender(String name, Starter starter) {

        /** Whether {@code bench.servers} names it: its name's first word, lower case. */
        boolean chosen(List<String> names) {
            return names.contains(name.split(" ")[0].toLowerCase(Locale.ROOT));
        }
    }

    /** One server's figures in one run; queries NaN where it has none or one failed. */
    private record Figures(double samplesPerSecond, double p99Millis, int failedRequests, double bytesPerSample, double peakRssMiB,
            double[] queryMillis, Answer[] answers, String[] errors, String load) {
    }

    private WireBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<String> sets = List.of(System.getProperty("bench.sets", "d1,d3").split(","));
        int runs = Integer.getInteger("bench.runs", 1);
        int d3Series = Integer.getInteger("bench.d3Series", D3Dataset.SERIES);
        // D1's queries read 12:00-13:00: at least 4,681 timestamps.
        int d1Timestamps = Integer.getInteger("bench.d1Timestamps", D1Dataset.TIMESTAMPS);
        int connections = Integer.getInteger("bench.connections", 8);
        String durability = System.getProperty("bench.durability", "FSYNC");
        Path assembly = Path.of(System.getProperty("bench.assembly", "distribution/target/assembly")).toAbsolutePath().normalize();
        Path root = Path.of(System.getProperty("bench.dir", "target/bench-wire")).toAbsolutePath().normalize();
        // Data sets dated 2024: a new group keeps them (the default 15-day TTL would expire them as they arrive).
        Map<String, String> banyanConfig = Map.of("dev.banyan.http.cfg", "newGroupTtl = 3650d", "dev.banyan.server.cfg",
                "durability = " + durability);
        List<String> only = List.of(System.getProperty("bench.servers", "banyan,victoriametrics,prometheus,influxdb").toLowerCase(Locale.ROOT)
                .split(","));
        List<Contender> remoteWrite = Stream.of(
                new Contender("Banyan", home -> BanyanAssembly.start(assembly, home, banyanConfig)),
                new Contender("VictoriaMetrics 1.79.5", Peers::victoriaMetrics),
                new Contender("Prometheus 2.42", Peers::prometheus)).filter(c -> c.chosen(only)).toList();
        List<Contender> lineProtocol = Stream.of(
                new Contender("Banyan", home -> BanyanAssembly.start(assembly, home, banyanConfig)),
                new Contender("InfluxDB 1.6.7", Peers::influxDb)).filter(c -> c.chosen(only)).toList();
        System.out.printf("Wire benchmark: %s, %d run(s), %d connections, Banyan durability %s; %d cores; load %s%n", sets, runs,
                connections, durability, Runtime.getRuntime().availableProcessors(), load());
        List<Runnable> tables = new ArrayList<>();
        for (String set : sets) {
            WireData data = set.equals("d1") ? WireData.d1(d1Timestamps) : WireData.d3(d3Series);
            List<RangeQuery> queries = set.equals("d1") ? d1Queries() : d3Queries(d3Series);
            Path base = root.resolve(set);
            tables.add(run(data, queries, remoteWrite, lineProtocol, base, runs, connections));
        }
        tables.forEach(Runnable::run);
    }

    /** D1's five range queries: the hour 12:00-13:00 of 2024-01-01, step 60 s (61 steps). */
    static List<RangeQuery> d1Queries() {
        long start = D1Dataset.START_MILLIS + 12 * 3_600_000L;
        long end = start + 3_600_000L;
        return List.of(
                new RangeQuery("one series, host_500", "d1_value{host=\"host_500\"}", start, end, 60_000),
                new RangeQuery("sum by region", "sum by (region) (d1_value)", start, end, 60_000),
                new RangeQuery("rate over counters, sum by region", "sum by (region) (rate(d1_value[5m]))", start, end, 60_000),
                new RangeQuery("max_over_time 10m, max by region", "max by (region) (max_over_time(d1_value[10m]))", start, end, 60_000),
                new RangeQuery("regex host=~host_1[0-9]*7, sum", "sum(d1_value{host=~\"host_1[0-9]*7\"})", start, end, 60_000));
    }

    /** D3's five range queries over all its 50 timestamps, step 15 s (50 steps). */
    static List<RangeQuery> d3Queries(int series) {
        long start = D3Dataset.START_MILLIS;
        long end = D3Dataset.timestamp(D3Dataset.TIMESTAMPS - 1);
        String host = "host_" + (123_457 % series);
        return List.of(
                new RangeQuery("one series, " + host, "d3_value{host=\"" + host + "\"}", start, end, 15_000),
                new RangeQuery("sum by region", "sum by (region) (d3_value)", start, end, 15_000),
                new RangeQuery("rate over counters, sum by service", "sum by (service) (rate(d3_value[1m]))", start, end, 15_000),
                new RangeQuery("max_over_time 1m, max by rack", "max by (rack) (max_over_time(d3_value[1m]))", start, end, 15_000),
                new RangeQuery("regex host=~host_1[0-9]*7, sum by service", "sum by (service) (d3_value{host=~\"host_1[0-9]*7\"})", start,
                        end, 15_000));
    }

    /** Runs one data set through every server; returns the printing of its tables. */
    private static Runnable run(WireData data, List<RangeQuery> queries, List<Contender> remoteWrite, List<Contender> lineProtocol,
            Path base, int runs, int connections) throws Exception {
        long encodeStart = System.nanoTime();
        List<WireRequests.Body> rw = WireRequests.remoteWrite(data);
        List<WireRequests.Body> lp = WireRequests.lineProtocol(data);
        System.out.printf("%n%s: %,d samples of %,d series; remote write %d requests, %.1f MB (snappy); line protocol %d requests, "
                + "%.1f MB (gzip); encoded in %.1f s%n", data.name(), data.samples(), data.seriesCount(), rw.size(),
                WireRequests.bytes(rw) / 1e6, lp.size(), WireRequests.bytes(lp) / 1e6, (System.nanoTime() - encodeStart) / 1e9);
        List<List<Figures>> rwFigures = new ArrayList<>();
        remoteWrite.forEach(c -> rwFigures.add(new ArrayList<>()));
        List<List<Figures>> lpFigures = new ArrayList<>();
        lineProtocol.forEach(c -> lpFigures.add(new ArrayList<>()));
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < remoteWrite.size(); i++) {
                rwFigures.get(i).add(cycle(remoteWrite.get(i), base.resolve("rw-" + i), data, rw, true, queries, connections));
            }
            for (int i = 0; i < lineProtocol.size(); i++) {
                lpFigures.get(i).add(cycle(lineProtocol.get(i), base.resolve("lp-" + i), data, lp, false, List.of(), connections));
            }
        }
        return () -> {
            String protocol = String.format("%d connections, median of %d run(s); queries: median of %d after %d warm-ups", connections,
                    runs, Measure.QUERY_RUNS, Measure.WARMUPS);
            if (!remoteWrite.isEmpty()) {
                printTable(data.name() + " over Prometheus remote write (" + protocol + ")", remoteWrite, rwFigures, queries,
                        ">= 1.0 vs VM");
                compareAnswers(remoteWrite, rwFigures, queries);
            }
            if (!lineProtocol.isEmpty()) {
                printTable(data.name() + " over InfluxDB line protocol (" + connections + " connections, median of " + runs + " run(s))",
                        lineProtocol, lpFigures, List.of(), ">= 1.0 vs InfluxDB");
            }
        };
    }

    /** Starts one server, ingests, flushes, queries, reads its peak memory, stops it, measures its data. */
    private static Figures cycle(Contender contender, Path home, WireData data, List<WireRequests.Body> bodies, boolean remoteWrite,
            List<RangeQuery> queries, int connections) throws Exception {
        ServerProcess.deleteTree(home);
        Files.createDirectories(home);
        String loadBefore = load();
        WireServer server = contender.starter().start(home);
        LoadGenerator.Ingest ingest;
        double[] millis = new double[queries.size()];
        Answer[] answers = new Answer[queries.size()];
        String[] errors = new String[queries.size()];
        String loadAfterIngest;
        double peakRss;
        try {
            ingest = remoteWrite
                    ? LoadGenerator.send(server, server.remoteWrite(), "application/x-protobuf", "snappy", bodies, connections)
                    : LoadGenerator.send(server, server.lineProtocol(), "text/plain; charset=utf-8", "gzip", bodies, connections);
            loadAfterIngest = load();
            System.out.printf(Locale.ROOT, "%s %s %s: %,d samples in %.1f s, %.0f samples/s, p50 %.1f ms, p99 %.1f ms, %d failed; "
                    + "load before %s, after ingest %s%n", data.name(), contender.name(), remoteWrite ? "remote write" : "line protocol",
                    ingest.samples(), ingest.seconds(), ingest.samplesPerSecond(), ingest.latencyPercentile(50),
                    ingest.latencyPercentile(99), ingest.failed(), loadBefore, loadAfterIngest);
            server.flush();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
            for (int q = 0; q < queries.size(); q++) {
                RangeQuery.Timing timing = queries.get(q).time(server, http);
                millis[q] = timing.medianMillis();
                answers[q] = timing.answer();
                errors[q] = timing.error();
                System.out.printf(Locale.ROOT, "%s %s %s: %.2f ms, %s; load %s%n", data.name(), contender.name(), queries.get(q).label(),
                        timing.medianMillis(), timing.error() != null ? "FAILED: " + timing.error() : timing.answer().summary(), load());
            }
            peakRss = server.peakRssBytes() / 1048576.0;
        } finally {
            server.close();
        }
        double bytesPerSample = (double) ServerProcess.directoryBytes(server.dataDir()) / data.samples();
        System.out.printf(Locale.ROOT, "%s %s: %.2f bytes per sample on disk after stop, peak RSS %.0f MiB%n", data.name(),
                contender.name(), bytesPerSample, peakRss);
        ServerProcess.deleteTree(home);
        return new Figures(ingest.samplesPerSecond(), ingest.latencyPercentile(99), ingest.failed(), bytesPerSample, peakRss, millis,
                answers, errors, loadAfterIngest);
    }

    private static void printTable(String title, List<Contender> servers, List<List<Figures>> figures, List<RangeQuery> queries,
            String ingestTarget) {
        List<String> names = servers.stream().map(Contender::name).toList();
        String versus = ingestTarget.substring(ingestTarget.indexOf(" vs ") + 1);
        List<Report.Row> rows = new ArrayList<>();
        rows.add(new Report.Row("ingest (k samples/s)", median(figures, f -> f.samplesPerSecond() / 1e3), ingestTarget));
        rows.add(new Report.Row("p99 request latency (ms)", median(figures, Figures::p99Millis), "(info)"));
        rows.add(new Report.Row("failed requests", median(figures, f -> f.failedRequests()), "0"));
        rows.add(new Report.Row("bytes per sample on disk", median(figures, Figures::bytesPerSample), "<= 1.0 " + versus));
        rows.add(new Report.Row("peak RSS (MiB)", median(figures, Figures::peakRssMiB), "<= 1.0 " + versus));
        for (int q = 0; q < queries.size(); q++) {
            int query = q;
            rows.add(new Report.Row("q: " + queries.get(q).label() + " (ms)", median(figures, f -> f.queryMillis()[query]),
                    "<= 1.0 " + versus));
        }
        Report.print(title, names, rows);
        StringBuilder loads = new StringBuilder("Load average (1, 5, 15 min) at the end of each ingest:");
        for (int s = 0; s < servers.size(); s++) {
            loads.append(' ').append(names.get(s)).append(' ').append(figures.get(s).stream().map(Figures::load).toList()).append(';');
        }
        System.out.println(loads);
        for (RangeQuery q : queries) {
            System.out.println("- " + q.label() + ": `" + q.expr() + "`");
        }
    }

    /** Each server's answers against Prometheus's (the reference semantics), last run. */
    private static void compareAnswers(List<Contender> servers, List<List<Figures>> figures, List<RangeQuery> queries) {
        int reference = servers.size() - 1;
        if (reference < 1) {
            return;
        }
        for (int q = 0; q < queries.size(); q++) {
            Figures ref = last(figures.get(reference));
            for (int s = 0; s < reference; s++) {
                Figures mine = last(figures.get(s));
                String verdict;
                if (mine.errors()[q] != null || ref.errors()[q] != null) {
                    verdict = "not compared (failed: " + (mine.errors()[q] != null ? mine.errors()[q] : ref.errors()[q]) + ")";
                } else {
                    String difference = mine.answers()[q].difference(ref.answers()[q]);
                    verdict = difference == null ? "identical (" + mine.answers()[q].summary() + ")" : "DIFFERS: " + difference;
                }
                System.out.printf("Answer of %s to \"%s\" vs %s: %s%n", servers.get(s).name(), queries.get(q).label(),
                        servers.get(reference).name(), verdict);
            }
        }
    }

    private static Figures last(List<Figures> runs) {
        return runs.get(runs.size() - 1);
    }

    private static double[] median(List<List<Figures>> figures, java.util.function.ToDoubleFunction<Figures> figure) {
        double[] values = new double[figures.size()];
        for (int s = 0; s < values.length; s++) {
            values[s] = Measure.median(figures.get(s).stream().mapToDouble(figure).toArray());
        }
        return values;
    }

    /** The machine's load averages over 1, 5 and 15 minutes, as {@code uptime} prints them. */
    static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
