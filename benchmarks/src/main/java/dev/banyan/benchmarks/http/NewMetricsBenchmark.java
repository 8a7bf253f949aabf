package dev.banyan.benchmarks.http;

import java.net.URI;
import java.util.Map;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import org.xerial.snappy.Snappy;

import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.Sample;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.http.internal.prompb.WriteRequest;

/**
 * First contact of a Prometheus with many metrics: one remote write whose series carry
 * {@code bench.metrics} new metric names each (default {@code 500,2500}, one request per entry, in
 * order, against one server, so the later requests meet a registry already holding the earlier
 * names). Prints each request's time and status and the size of the embedded registry's file
 * afterwards. Prometheus's default {@code remote_timeout} is 30 s: a first request slower than that
 * is retried for ever. Starts a copy of {@code bench.assembly} as {@link BanyanAssembly} does.
 */
public final class NewMetricsBenchmark {

    public static void main(String[] args) throws Exception {
        int[] rounds = Arrays.stream(System.getProperty("bench.metrics", "500,2500").split(",")).mapToInt(Integer::parseInt).toArray();
        Path assembly = Path.of(System.getProperty("bench.assembly", "distribution/target/assembly")).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("bench.dir", "target/bench-new-metrics")).toAbsolutePath().normalize();
        try (BanyanAssembly server = BanyanAssembly.start(assembly, home, Map.of())) {
            String auth = server.authorization();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            long time = (System.currentTimeMillis() - 60_000) / 1000 * 1000;
            for (int round = 0; round < rounds.length; round++) {
                WriteRequest.Builder write = WriteRequest.newBuilder();
                for (int i = 0; i < rounds[round]; i++) {
                    write.addTimeseries(TimeSeries.newBuilder()
                            .addLabels(Label.newBuilder().setName("__name__").setValue("first_contact_r" + round + "_metric_" + i))
                            .addLabels(Label.newBuilder().setName("instance").setValue("host-" + (i % 7) + ":9100"))
                            .addLabels(Label.newBuilder().setName("job").setValue("node"))
                            .addSamples(Sample.newBuilder().setTimestamp(time).setValue(i)));
                }
                byte[] body = Snappy.compress(write.build().toByteArray());
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.remoteWrite())
                        .timeout(Duration.ofMinutes(15)).header("Authorization", auth).header("Content-Type", "application/x-protobuf")
                        .header("Content-Encoding", "snappy").header("X-Prometheus-Remote-Write-Version", "0.1.0")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - start) / 1e9;
                Path registry = home.resolve("data/banyan/.registry/schema.yaml");
                System.out.printf("new metrics: %d new metric names in one remote write: %.2f s (%.0f measures/s), status %d%s; "
                        + "registry file %d KB%n", rounds[round], seconds, rounds[round] / seconds, response.statusCode(),
                        response.statusCode() == 204 ? "" : " " + response.body(),
                        Files.exists(registry) ? Files.size(registry) / 1024 : -1);
            }
        }
    }
}
