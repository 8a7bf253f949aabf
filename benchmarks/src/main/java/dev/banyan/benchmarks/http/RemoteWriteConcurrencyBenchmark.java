package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.xerial.snappy.Snappy;

import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.Sample;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.http.internal.prompb.WriteRequest;

/**
 * Issue #12 case 8: {@value #DEFAULT_CLIENTS} concurrent Prometheus remote-write clients against the
 * real assembly for {@code bench.seconds} (default 60). Starts a copy of {@code distribution/target/assembly}
 * on free loopback ports with its own data directory, as shipped (default heap, FSYNC durability).
 * Each client owns one metric ({@code bench_client_<n>}) of {@code bench.series} series and sends
 * requests of {@code bench.series} x {@code bench.rows} samples (Prometheus's default is up to 500
 * samples per request; default here 100 x 5), each series advancing 1 s per row, the way a
 * Prometheus with many targets sends. Reports acknowledged samples/s, request latency percentiles,
 * the server's heap (from its /metrics, sampled every second) and then checks that every
 * acknowledged sample is stored: per client, the stored count equals the acknowledged count.
 */
public final class RemoteWriteConcurrencyBenchmark {

    static final int DEFAULT_CLIENTS = 16;

    public static void main(String[] args) throws Exception {
        int clients = Integer.getInteger("bench.clients", DEFAULT_CLIENTS);
        int seconds = Integer.getInteger("bench.seconds", 60);
        int seriesPerClient = Integer.getInteger("bench.series", 100);
        int rows = Integer.getInteger("bench.rows", 5);
        Path assembly = Path.of(System.getProperty("bench.assembly", "distribution/target/assembly")).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("bench.dir", "target/bench-http")).toAbsolutePath().normalize();
        try (AssemblyServer server = AssemblyServer.start(assembly, home)) {
            String auth = "Basic " + Base64.getEncoder().encodeToString(("banyan:" + server.password()).getBytes(StandardCharsets.UTF_8));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI write = URI.create(server.base() + "/api/v1/write");
            HeapSampler heap = new HeapSampler(http, URI.create(server.base() + "/metrics"), auth);
            heap.start();
            long start0 = (System.currentTimeMillis() - 6 * 3_600_000L) / 1000 * 1000;
            long[] acknowledged = new long[clients];
            long[] refused = new long[clients];
            List<long[]> latencies = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds) + TimeUnit.SECONDS.toNanos(2);
            List<Thread> threads = new ArrayList<>();
            long begin = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int c = 0; c < clients; c++) {
                int client = c;
                long[] mine = new long[1 << 20];
                latencies.add(mine);
                Thread thread = new Thread(() -> {
                    int n = 0;
                    long time = start0;
                    while (System.nanoTime() < begin) {
                        Thread.onSpinWait();
                    }
                    while (System.nanoTime() < deadline && n < mine.length) {
                        WriteRequest request = request(client, seriesPerClient, rows, time);
                        try {
                            byte[] body = Snappy.compress(request.toByteArray());
                            long t = System.nanoTime();
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(write).timeout(Duration.ofSeconds(60))
                                    .header("Authorization", auth).header("Content-Type", "application/x-protobuf")
                                    .header("Content-Encoding", "snappy").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            mine[n++] = System.nanoTime() - t;
                            if (response.statusCode() == 204) {
                                acknowledged[client] += (long) seriesPerClient * rows;
                                time += rows * 1000L;
                            } else {
                                refused[client]++;
                                System.err.println("client " + client + ": " + response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            refused[client]++;
                            System.err.println("client " + client + ": " + e);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    mine[mine.length - 1] = n; // the count rides in the last slot
                }, "bench-client-" + c);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double elapsed = (System.nanoTime() - begin) / 1e9;
            heap.stop();
            long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1])).sorted().toArray();
            long samples = Arrays.stream(acknowledged).sum();
            System.out.printf("%nRemote write, %d clients, %.1f s, %d series x %d samples per request, FSYNC durability%n", clients,
                    elapsed, seriesPerClient, rows);
            System.out.printf("| figure | value |%n|---|---|%n");
            System.out.printf("| requests acknowledged | %d (refused or failed: %d) |%n", all.length - Arrays.stream(refused).sum(),
                    Arrays.stream(refused).sum());
            System.out.printf("| samples acknowledged | %d |%n", samples);
            System.out.printf("| samples/s | %.0f |%n", samples / elapsed);
            System.out.printf("| request latency p50 / p99 / max (ms) | %.1f / %.1f / %.1f |%n", percentile(all, 0.50) / 1e6,
                    percentile(all, 0.99) / 1e6, all.length == 0 ? 0 : all[all.length - 1] / 1e6);
            System.out.printf("| server heap used, max sampled / at end (MiB) | %.0f / %.0f |%n", heap.max() / 1048576.0,
                    heap.last() / 1048576.0);
            System.out.printf("| server heap limit (MiB) | %.0f |%n", heap.limit() / 1048576.0);
            long missing = 0;
            for (int c = 0; c < clients; c++) {
                long stored = server.count("bench_client_" + c, start0 - 1000, start0 + 86_400_000L);
                if (stored != acknowledged[c]) {
                    System.out.printf("client %d: acknowledged %d, stored %d%n", c, acknowledged[c], stored);
                    missing += Math.max(0, acknowledged[c] - stored);
                }
            }
            System.out.printf("| acknowledged samples not found afterwards | %d |%n", missing);
            if (missing != 0) {
                throw new AssertionError(missing + " acknowledged samples are missing");
            }
        }
    }

    private static WriteRequest request(int client, int series, int rows, long firstTime) {
        WriteRequest.Builder write = WriteRequest.newBuilder();
        for (int s = 0; s < series; s++) {
            TimeSeries.Builder ts = TimeSeries.newBuilder()
                    .addLabels(Label.newBuilder().setName("__name__").setValue("bench_client_" + client))
                    .addLabels(Label.newBuilder().setName("instance").setValue("host-" + s + ":9100"))
                    .addLabels(Label.newBuilder().setName("job").setValue("node"));
            for (int r = 0; r < rows; r++) {
                ts.addSamples(Sample.newBuilder().setTimestamp(firstTime + r * 1000L).setValue((s * 31 + r + firstTime / 1000) % 1000 / 10.0));
            }
            write.addTimeseries(ts);
        }
        return write.build();
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Samples jvm_memory_used_bytes{area="heap"} from the server's /metrics every second. */
    private static final class HeapSampler {
        private static final Pattern USED = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\"\\} (\\S+)$", Pattern.MULTILINE);
        private static final Pattern MAX = Pattern.compile("^jvm_memory_max_bytes\\{area=\"heap\"\\} (\\S+)$", Pattern.MULTILINE);
        private final HttpClient http;
        private final URI metrics;
        private final String auth;
        private volatile boolean running = true;
        private volatile double max;
        private volatile double last;
        private volatile double limit;
        private Thread thread;

        HeapSampler(HttpClient http, URI metrics, String auth) {
            this.http = http;
            this.metrics = metrics;
            this.auth = auth;
        }

        void start() {
            thread = new Thread(() -> {
                while (running) {
                    try {
                        String body = http.send(HttpRequest.newBuilder(metrics).header("Authorization", auth).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        Matcher used = USED.matcher(body);
                        if (used.find()) {
                            last = Double.parseDouble(used.group(1));
                            max = Math.max(max, last);
                        }
                        Matcher m = MAX.matcher(body);
                        if (m.find()) {
                            limit = Double.parseDouble(m.group(1));
                        }
                        Thread.sleep(1000);
                    } catch (IOException e) {
                        // the next sample will tell
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-heap");
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
        }

        double max() {
            return max;
        }

        double last() {
            return last;
        }

        double limit() {
            return limit;
        }
    }
}
