package dev.banyan.promql.difftest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.Series;

/**
 * The data set of the differential tests, the same every run: counters with resets, gauges
 * (negative, NaN, infinities), classic histograms, series that start late, stop (with a staleness
 * marker, as a scrape would write), restart or have gaps, jittered scrape times, and label values
 * that need escaping in regular expressions. It spans 22:00 to 00:45 UTC, so queries can sit on
 * hour (block) and day (segment) boundaries.
 */
public final class SyntheticDataset {

    /** 2024-01-01T22:00:00Z: the first scrape of the data set the engine tests use. */
    public static final long FIXED_START_MS = Instant.parse("2024-01-01T22:00:00Z").toEpochMilli();
    /** The data covers this long from the start (under three hours keeps Prometheus from compacting). */
    public static final long SPAN_MS = (2 * 60 + 45) * 60_000L;
    public static final long INTERVAL_MS = 15_000;

    private final long start;
    private final long end;

    private static final double STALE = Double.longBitsToDouble(Series.STALE_NAN_BITS);

    private SyntheticDataset(long startMs) {
        this.start = startMs;
        this.end = startMs + SPAN_MS;
    }

    /**
     * A start at 22:00 UTC two days before {@code nowMs}: inside a server's retention, in the past,
     * and still spanning an hour and a day boundary.
     */
    public static long recentStart(long nowMs) {
        long day = 86_400_000L;
        return nowMs - Math.floorMod(nowMs, day) - 2 * day + 22 * 3_600_000L;
    }

    /**
     * Every series, samples ascending from {@code startMs} (22:00 UTC of some day); staleness markers
     * carry {@link Series#STALE_NAN_BITS}. The values do not depend on the start.
     */
    public static List<Series> generate(long startMs) {
        return new SyntheticDataset(startMs).series();
    }

    private List<Series> series() {
        Random random = new Random(20240101L);
        List<Series> all = new ArrayList<>();
        // Counters: per-second rates differ per series; some reset (a restart) now and then.
        String[] jobs = {"api", "web"};
        String[] instances = {"a:9090", "b:9090"};
        String[] methods = {"GET", "POST"};
        for (String job : jobs) {
            for (String instance : instances) {
                for (String method : methods) {
                    Labels labels = Labels.of("__name__", "http_requests_total", "job", job, "instance", instance,
                            "method", method, "path", job.equals("api") ? "/api/v1/query" : "/index.html");
                    all.add(counter(random, labels, start, end, 0.5 + random.nextInt(40) / 4.0, 0.004, job.equals("web") ? 900 : 0));
                }
            }
        }
        // A counter that starts late and one that stops early (a target that went away: a stale marker).
        all.add(counter(random, Labels.of("__name__", "http_requests_total", "job", "batch", "instance", "c:9090",
                "method", "GET", "path", "/late"), start + 47 * 60_000L + 7_000, end, 3.25, 0, 0));
        all.add(withStaleEnd(counter(random, Labels.of("__name__", "http_requests_total", "job", "batch", "instance",
                "d:9090", "method", "GET", "path", "/early"), start, start + 95 * 60_000L, 1.5, 0.01, 0)));
        // Gauges with six significant digits, some negative.
        String[][] hosts = {{"h1", "eu-1"}, {"h2", "eu-1"}, {"h3", "us.east"}, {"h4", "us.east"}, {"h5", "ap-south"}};
        for (String[] host : hosts) {
            all.add(gauge(random, Labels.of("__name__", "node_temperature_celsius", "host", host[0], "dc", host[1]),
                    start, end, 20 + random.nextInt(40), 5, 0));
            all.add(gauge(random, Labels.of("__name__", "node_load", "host", host[0], "dc", host[1]),
                    start, end, random.nextInt(3) - 1, 2, 7_000));
        }
        // Classic histograms: cumulative buckets per job.
        double[] bounds = {0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};
        for (String job : jobs) {
            for (String instance : instances) {
                all.addAll(histogram(random, "request_duration_seconds", job, instance, bounds));
            }
        }
        // Label values that need escaping in a regular expression.
        String[] queues = {"a.b", "a-b", "x[1]", "c+d", "path/with/slash", "quote\"d", "back\\slash", "dollar$", "ünïcode",
                "(paren)", "star*", "new\nline"};
        for (String queue : queues) {
            all.add(gauge(random, Labels.of("__name__", "queue_depth", "queue", queue, "env", "prod"), start, end,
                    random.nextInt(100), 10, 0));
        }
        // A series that flaps: up, stale, up again, then a gap without a marker (lookback runs out).
        all.add(flapping(random));
        // Odd values: NaN, infinities, zeros, huge and tiny numbers.
        all.add(odd(Labels.of("__name__", "odd_values", "kind", "special")));
        // Two metrics with identical labels apart from the name, for matching and labelset collisions.
        for (String name : new String[] {"disk_used_bytes", "disk_total_bytes"}) {
            for (String dev : new String[] {"sda", "sdb", "sdc"}) {
                double base = name.equals("disk_total_bytes") ? 1.0e12 : 2.0e11 + random.nextInt(1000) * 1.0e8;
                all.add(gauge(random, Labels.of("__name__", name, "device", dev, "host", "h1"), start, end, base,
                        name.equals("disk_total_bytes") ? 0 : 1.0e9, 0));
            }
        }
        // A "one" side for group_left: one info series per host.
        for (String[] host : hosts) {
            all.add(gauge(random, Labels.of("__name__", "node_info", "host", host[0], "os", "linux-" + host[1],
                    "owner", "team-" + host[0].charAt(1)), start, end, 1, 0, 0));
        }
        return all;
    }

    private static double sixDigits(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }

    private static Series counter(Random random, Labels labels, long from, long to, double perSecond, double resetChance,
            long jitterMs) {
        List<long[]> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        double value = random.nextInt(1000);
        for (long ts = from; ts < to; ts += INTERVAL_MS) {
            long jittered = jitterMs == 0 ? ts : ts + random.nextInt((int) jitterMs) - jitterMs / 2;
            if (random.nextDouble() < resetChance) {
                value = random.nextInt(5);
            } else {
                value += Math.floor(perSecond * 15 * (0.5 + random.nextDouble()));
            }
            t.add(new long[] {jittered});
            v.add(value);
        }
        return series(labels, t, v);
    }

    private static Series gauge(Random random, Labels labels, long from, long to, double base, double amplitude,
            long jitterMs) {
        List<long[]> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        double value = base;
        for (long ts = from; ts < to; ts += INTERVAL_MS) {
            long jittered = jitterMs == 0 ? ts : ts + random.nextInt((int) jitterMs) - jitterMs / 2;
            value = amplitude == 0 ? base : sixDigits(value + (random.nextDouble() - 0.5) * amplitude);
            t.add(new long[] {jittered});
            v.add(value);
        }
        return series(labels, t, v);
    }

    private List<Series> histogram(Random random, String name, String job, String instance, double[] bounds) {
        int n = (int) ((end - start) / INTERVAL_MS);
        double[][] counts = new double[bounds.length][n];
        double[] sums = new double[n];
        double[] cumulative = new double[bounds.length];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int observations = 5 + random.nextInt(30);
            for (int o = 0; o < observations; o++) {
                double latency = Math.exp(random.nextGaussian() - 1.5);
                sum += latency;
                for (int b = 0; b < bounds.length; b++) {
                    if (latency <= bounds[b]) {
                        cumulative[b]++;
                    }
                }
            }
            for (int b = 0; b < bounds.length; b++) {
                counts[b][i] = cumulative[b];
            }
            sums[i] = sixDigits(sum);
        }
        List<Series> out = new ArrayList<>();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = start + i * INTERVAL_MS;
        }
        for (int b = 0; b < bounds.length; b++) {
            String le = bounds[b] == Double.POSITIVE_INFINITY ? "+Inf" : trim(bounds[b]);
            out.add(new Series(Labels.of("__name__", name + "_bucket", "job", job, "instance", instance, "le", le), t,
                    counts[b]));
        }
        out.add(new Series(Labels.of("__name__", name + "_sum", "job", job, "instance", instance), t, sums));
        out.add(new Series(Labels.of("__name__", name + "_count", "job", job, "instance", instance), t,
                counts[bounds.length - 1].clone()));
        return out;
    }

    private static String trim(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static Series withStaleEnd(Series s) {
        int n = s.size();
        long[] t = java.util.Arrays.copyOf(s.timestamps(), n + 1);
        double[] v = java.util.Arrays.copyOf(s.values(), n + 1);
        t[n] = t[n - 1] + INTERVAL_MS;
        v[n] = STALE;
        return new Series(s.labels(), t, v);
    }

    private Series flapping(Random random) {
        List<long[]> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        long ts = start;
        // up 30 min, stale marker, down 20 min, up 40 min, then silent for 10 min (no marker), up again.
        long[][] upPhases = {{0, 30}, {50, 90}, {100, 165}};
        for (int p = 0; p < upPhases.length; p++) {
            for (ts = start + upPhases[p][0] * 60_000; ts < start + upPhases[p][1] * 60_000 && ts < end; ts += INTERVAL_MS) {
                t.add(new long[] {ts});
                v.add((double) (1 + random.nextInt(9)));
            }
            if (p == 0) {
                t.add(new long[] {ts});
                v.add(STALE);
            }
        }
        return series(Labels.of("__name__", "flapping_up", "job", "flaky"), t, v);
    }

    private Series odd(Labels labels) {
        double[] cycle = {0, -0.0, Double.NaN, 1e300, Double.POSITIVE_INFINITY, -1e-300, 42, Double.NEGATIVE_INFINITY,
                3.5, 7};
        List<long[]> t = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        int i = 0;
        for (long ts = start; ts < end; ts += INTERVAL_MS) {
            t.add(new long[] {ts});
            v.add(cycle[i++ % cycle.length]);
        }
        return series(labels, t, v);
    }

    private static Series series(Labels labels, List<long[]> t, List<Double> v) {
        long[] ts = new long[t.size()];
        double[] vs = new double[v.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = t.get(i)[0];
            vs[i] = v.get(i);
        }
        return new Series(labels, ts, vs);
    }
}
