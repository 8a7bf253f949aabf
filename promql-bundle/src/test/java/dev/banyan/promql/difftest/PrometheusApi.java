package dev.banyan.promql.difftest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/** Asks a Prometheus-compatible HTTP query API, by form POST as Grafana does. */
public final class PrometheusApi {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String authorization;

    /** @param authorization the Authorization header value, or null */
    public PrometheusApi(URI base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    public ApiResult query(Corpus.Entry e) throws IOException, InterruptedException {
        if (e.range()) {
            return ApiResult.parse(post("/api/v1/query_range", Map.of("query", e.expr(), "start", seconds(e.startMs()),
                    "end", seconds(e.endMs()), "step", seconds(e.stepMs()))));
        }
        return ApiResult.parse(post("/api/v1/query", Map.of("query", e.expr(), "time", seconds(e.startMs()))));
    }

    static String seconds(long ms) {
        return new java.math.BigDecimal(ms).movePointLeft(3).toPlainString();
    }

    /** POSTs a form and returns the body, whatever the status (errors carry the API envelope too). */
    public String post(String path, Map<String, String> form) throws IOException, InterruptedException {
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    public HttpClient client() {
        return client;
    }
}
