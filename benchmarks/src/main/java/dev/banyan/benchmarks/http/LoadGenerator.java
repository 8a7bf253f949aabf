package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends pre-encoded request bodies in order over {@code connections} concurrent HTTP/1.1
 * connections (one thread each, taking the next body as soon as its previous request is answered),
 * and times every request from send to the last byte of the answer.
 */
final class LoadGenerator {

    /**
     * What one ingest did.
     *
     * @param samples       acknowledged samples (2xx answers)
     * @param seconds       from the first request sent to the last answer
     * @param latencyMillis per request, sorted
     * @param failed        requests answered otherwise or not at all
     */
    record Ingest(long samples, double seconds, double[] latencyMillis, int failed) {

        double samplesPerSecond() {
            return samples / seconds;
        }

        /** The p-th percentile (0..100) of request latency, nearest rank, in ms. */
        double latencyPercentile(double p) {
            int rank = (int) Math.ceil(p / 100 * latencyMillis.length);
            return latencyMillis.length == 0 ? Double.NaN : latencyMillis[Math.max(0, Math.min(latencyMillis.length - 1, rank - 1))];
        }
    }

    private static final int ERRORS_SHOWN = 5;

    private LoadGenerator() {
    }

    /**
     * @param contentType     the bodies' {@code Content-Type}
     * @param contentEncoding the bodies' {@code Content-Encoding}
     */
    static Ingest send(WireServer server, URI uri, String contentType, String contentEncoding, List<WireRequests.Body> bodies,
            int connections) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        String authorization = server.authorization();
        AtomicInteger next = new AtomicInteger();
        AtomicLong samples = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        double[] latency = new double[bodies.size()];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    WireRequests.Body body = bodies.get(i);
                    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                            .header("Content-Type", contentType).header("Content-Encoding", contentEncoding)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
                    if (authorization != null) {
                        request.header("Authorization", authorization);
                    }
                    long t = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                        latency[i] = (System.nanoTime() - t) / 1e6;
                        if (response.statusCode() / 100 == 2) {
                            samples.addAndGet(body.samples());
                        } else if (failed.incrementAndGet() <= ERRORS_SHOWN) {
                            System.err.printf("%s: request %d: %d %.300s%n", server.name(), i, response.statusCode(), response.body());
                        }
                    } catch (IOException e) {
                        latency[i] = (System.nanoTime() - t) / 1e6;
                        if (failed.incrementAndGet() <= ERRORS_SHOWN) {
                            System.err.printf("%s: request %d: %s%n", server.name(), i, e);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latency);
        return new Ingest(samples.get(), seconds, latency, failed.get());
    }
}
