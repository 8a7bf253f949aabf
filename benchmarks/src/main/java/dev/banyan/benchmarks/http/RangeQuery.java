package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.banyan.benchmarks.Answer;
import dev.banyan.benchmarks.Measure;

/**
 * A PromQL range query ({@code /api/v1/query_range}) and the benchmark's protocol for it: median of
 * 21 timed runs after 3 warm-ups, each run from sending the request to the last byte of the answer
 * (the JSON is parsed once, outside the timing, into an {@link Answer}: one entry per series and
 * step, keyed by the series' labels and the step's time in ms).
 *
 * @param label      as reported
 * @param expr       the PromQL expression
 * @param startMs    first step, ms since the epoch
 * @param endMs      last step, ms
 * @param stepMs     the step, ms
 */
record RangeQuery(String label, String expr, long startMs, long endMs, long stepMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A timed query: the median in ms (NaN if it failed) and the answer, or why it failed. */
    record Timing(double medianMillis, Answer answer, String error) {
    }

    Timing time(WireServer server, HttpClient http) throws InterruptedException {
        URI uri = URI.create(server.queryRange() + "?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&start="
                + seconds(startMs) + "&end=" + seconds(endMs) + "&step=" + seconds(stepMs));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5));
        if (server.authorization() != null) {
            builder.header("Authorization", server.authorization());
        }
        HttpRequest request = builder.build();
        double[] times = new double[Measure.QUERY_RUNS];
        byte[] body = null;
        try {
            for (int i = 0; i < Measure.WARMUPS + Measure.QUERY_RUNS; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                double millis = (System.nanoTime() - start) / 1e6;
                if (response.statusCode() != 200) {
                    return new Timing(Double.NaN, null, response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
                }
                if (i >= Measure.WARMUPS) {
                    times[i - Measure.WARMUPS] = millis;
                }
                body = response.body();
            }
            return new Timing(Measure.median(times), parse(body), null);
        } catch (IOException e) {
            return new Timing(Double.NaN, null, e.toString());
        }
    }

    /** The matrix of a {@code query_range} answer as labels@time -> value. */
    static Answer parse(byte[] body) throws IOException {
        JsonNode root = JSON.readTree(body);
        if (!"success".equals(root.path("status").asText()) || !"matrix".equals(root.path("data").path("resultType").asText())) {
            throw new IOException("not a successful matrix: " + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8));
        }
        Map<String, Double> values = new HashMap<>();
        for (JsonNode series : root.path("data").path("result")) {
            Map<String, String> labels = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> label = it.next();
                labels.put(label.getKey(), label.getValue().asText());
            }
            for (JsonNode point : series.path("values")) {
                long ms = Math.round(point.get(0).asDouble() * 1000);
                values.put(labels + "@" + ms, number(point.get(1).asText()));
            }
        }
        return Answer.of(values);
    }

    /** A sample value as the Prometheus API writes it ({@code NaN}, {@code +Inf}, {@code -Inf} included). */
    private static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
