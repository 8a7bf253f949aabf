package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.banyan.promql.api.Series;
import dev.banyan.promql.difftest.ApiResult;
import dev.banyan.promql.difftest.Corpus;
import dev.banyan.promql.difftest.PrometheusApi;
import dev.banyan.promql.difftest.PrometheusProcess;
import dev.banyan.promql.difftest.RemoteWrite;
import dev.banyan.promql.difftest.SyntheticDataset;

/**
 * Banyan's Prometheus query API on the real assembly against a real Prometheus 2.42: the same
 * remote-write requests go to both, then every expression of the differential corpus runs against
 * both HTTP APIs and the answers must agree; Grafana's request sequence and {@code promtool query}
 * work against Banyan as against Prometheus.
 */
public class PrometheusQueryApiTest {

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static KarafInstance karaf;
    private static PrometheusProcess prometheus;
    private static PrometheusApi banyanApi;
    private static PrometheusApi prometheusApi;
    private static String banyanBase;
    private static String basicAuth;
    private static long start;

    @BeforeClass
    public static void loadBoth() throws Exception {
        karaf = KarafInstance.create(tmp.newFolder("banyan").toPath());
        startBanyan();
        prometheus = PrometheusProcess.start(tmp.newFolder("prometheus").toPath());
        prometheusApi = new PrometheusApi(prometheus.base(), null);

        start = SyntheticDataset.recentStart(System.currentTimeMillis());
        List<Series> data = SyntheticDataset.generate(start);
        List<byte[]> requests = RemoteWrite.encode(data);
        RemoteWrite.send(prometheusApi.client(), prometheus.remoteWrite(), requests, null);
        // The first 90 minutes go to parts on disk (a clean stop flushes the memtables), the rest stays
        // in memory: queries cross the boundary, hour-aligned blocks and midnight's segment boundary.
        int half = 9;
        RemoteWrite.send(banyanApi.client(), URI.create(banyanBase + "/api/v1/write"), requests.subList(0, half), basicAuth);
        assertEquals(0, karaf.shutdown(Duration.ofSeconds(120)));
        try (java.util.stream.Stream<Path> files = Files.walk(karaf.dataRoot().resolve("prometheus"))) {
            assertTrue("the first half is in parts on disk", files.anyMatch(f -> f.getFileName().toString().startsWith("part-")));
        }
        startBanyan();
        RemoteWrite.send(banyanApi.client(), URI.create(banyanBase + "/api/v1/write"), requests.subList(half, requests.size()),
                basicAuth);
    }

    private static void startBanyan() throws Exception {
        karaf.start();
        karaf.awaitServing(BOOT);
        banyanBase = "http://127.0.0.1:" + karaf.httpPort();
        basicAuth = "Basic " + Base64.getEncoder().encodeToString(("banyan:" + karaf.password()).getBytes(StandardCharsets.UTF_8));
        banyanApi = new PrometheusApi(URI.create(banyanBase), basicAuth);
        // The HTTP endpoints come up with the bundles; wait until the query API answers.
        dev.banyan.testsupport.Await.until("the query API answering on " + banyanBase, Duration.ofSeconds(60), () -> {
            try {
                return get(banyanBase, "/api/v1/query?query=1", basicAuth).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterClass
    public static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (karaf != null) {
            karaf.shutdown(Duration.ofSeconds(60));
            karaf.close();
        }
    }

    @Test
    public void corpus_answersOverHttpAgreeWithPrometheus() throws Exception {
        List<String> failures = new ArrayList<>();
        int compared = 0;
        int withData = 0;
        for (Corpus.Entry e : Corpus.load(start)) {
            ApiResult ours = banyanApi.query(e);
            if (e.unsupported()) {
                if (!"bad_data".equals(ours.errorType())) {
                    failures.add(e + "\n    expected 400 bad_data naming the unsupported feature, got " + ours);
                }
                continue;
            }
            compared++;
            ApiResult expected = prometheusApi.query(e);
            if (expected.status().equals("success") && !expected.series().isEmpty()) {
                withData++;
            }
            String difference = expected.difference(ours);
            if (difference != null) {
                failures.add(e + "\n    " + difference);
            }
        }
        System.out.println("differential corpus over HTTP: " + compared + " expressions compared with Prometheus, "
                + withData + " of them with data in the answer");
        assertTrue("at least 150 expressions, got " + compared, compared >= 150);
        assertTrue("most answers hold data (both servers hold the data set): " + withData, withData >= 250);
        assertEquals(failures.size() + " of " + compared + " disagree:\n" + String.join("\n", failures), 0, failures.size());
    }

    /** The requests Grafana's Prometheus data source makes, in its order; answers compared with Prometheus's. */
    @Test
    public void grafana_requestSequence_answersAsPrometheus() throws Exception {
        String now = seconds(System.currentTimeMillis());
        String from = seconds(start);
        String to = seconds(start + SyntheticDataset.SPAN_MS);
        // Data source health check ("Save & test"): an instant query of 1+1, and the build info.
        assertSame("GET", "/api/v1/query?query=" + enc("1+1") + "&time=" + now, null);
        JsonNode build = JSON.readTree(get(banyanBase, "/api/v1/status/buildinfo", basicAuth).body());
        assertEquals("success", build.path("status").asText());
        assertTrue(build.path("data").path("version").asText().startsWith("2."));
        // Metrics browser: label names, metric names, a label's values, series of a metric.
        assertSame("GET", "/api/v1/labels?start=" + from + "&end=" + to, null);
        assertSame("GET", "/api/v1/label/__name__/values?start=" + from + "&end=" + to, null);
        assertSame("GET", "/api/v1/label/job/values?start=" + from + "&end=" + to, null);
        assertSame("GET", "/api/v1/series?match[]=" + enc("http_requests_total") + "&start=" + from + "&end=" + to, null);
        assertSame("POST", "/api/v1/series", Map.of("match[]", "node_load{dc=~\"eu.*\"}", "start", from, "end", to));
        assertSame("POST", "/api/v1/labels", Map.of("match[]", "node_load", "start", from, "end", to));
        assertSame("GET", "/api/v1/metadata", null);
        // A dashboard panel: query_range by POST with a step Grafana aligned to.
        long alignedStart = start + 30 * 60_000L;
        assertSame("POST", "/api/v1/query_range", Map.of("query", "sum by (job) (rate(http_requests_total[5m]))",
                "start", seconds(alignedStart), "end", seconds(alignedStart + 2 * 3_600_000L), "step", "60"));
        assertSame("POST", "/api/v1/query_exemplars", Map.of("query", "http_requests_total", "start", from, "end", to));
    }

    private void assertSame(String method, String pathAndQuery, Map<String, String> form) throws Exception {
        String ours;
        String theirs;
        if (method.equals("GET")) {
            ours = get(banyanBase, pathAndQuery, basicAuth).body();
            theirs = get(prometheus.base().toString(), pathAndQuery, null).body();
        } else {
            ours = banyanApi.post(pathAndQuery, form);
            theirs = prometheusApi.post(pathAndQuery, form);
        }
        JsonNode a = JSON.readTree(theirs);
        JsonNode b = JSON.readTree(ours);
        assertEquals(method + " " + pathAndQuery + ": " + ours, "success", b.path("status").asText());
        if (a.path("data").has("resultType")) {
            String difference = ApiResult.parse(theirs).difference(ApiResult.parse(ours));
            assertEquals(method + " " + pathAndQuery, null, difference);
        } else {
            assertEquals(method + " " + pathAndQuery, a.path("data"), b.path("data"));
        }
    }

    @Test
    public void promtool_queriesBanyan() throws Exception {
        String server = "http://banyan:" + URLEncoder.encode(karaf.password(), StandardCharsets.UTF_8) + "@127.0.0.1:"
                + karaf.httpPort();
        String mid = seconds(start + 90 * 60_000L);
        String instant = promtool("query", "instant", "--time=" + mid, server, "sum by (job) (http_requests_total)");
        assertTrue(instant, instant.contains("job=\"api\"") && instant.contains("job=\"web\""));
        String range = promtool("query", "range", "--start=" + seconds(start), "--end=" + mid, "--step=5m", server,
                "node_load{host=\"h1\"}");
        assertTrue(range, range.contains("node_load{dc=\"eu-1\", host=\"h1\"}") && range.contains(" @["));
        String series = promtool("query", "series", "--match=node_info", "--start=" + seconds(start), "--end=" + mid, server);
        assertEquals(series, 5, series.lines().filter(l -> l.contains("node_info")).count());
        String labels = promtool("query", "labels", "--start=" + seconds(start), "--end=" + mid, server, "dc");
        assertEquals(List.of("ap-south", "eu-1", "us.east"), labels.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(PrometheusProcess.BINARY).resolveSibling("promtool").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp.getRoot().toPath(), "promtool", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue("promtool finished", p.waitFor(60, TimeUnit.SECONDS));
        String output = Files.readString(out);
        assertEquals(String.join(" ", command) + ":\n" + output, 0, p.exitValue());
        return output;
    }

    private static HttpResponse<String> get(String base, String pathAndQuery, String authorization) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return banyanApi.client().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String seconds(long ms) {
        return java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }
}
