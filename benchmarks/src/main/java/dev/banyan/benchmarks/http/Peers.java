package dev.banyan.benchmarks.http;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The peers users would run instead of Banyan, from their Debian packages, each started on free
 * loopback ports with its own data directory under {@code home} and its log in {@code home/log}.
 * Settings differ from the packages' defaults only where the data set needs it (named at each).
 */
final class Peers {

    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Line protocol into database (Banyan: group) {@code bench}, ms timestamps. */
    static final String INFLUX_WRITE = "/write?db=bench&precision=ms";
    private static final WireServer.Endpoints PROMETHEUS_API = new WireServer.Endpoints("/api/v1/write", null, "/api/v1/query_range");

    private Peers() {
    }

    /**
     * VictoriaMetrics single node ({@code victoria-metrics}, Debian 1.79.5). {@code -retentionPeriod=100y}:
     * the data sets are dated 2024 and the default (1 month) would drop them as too old.
     * {@code -search.disableCache}: each timed query is computed, not served from the response cache
     * (the other servers have none).
     */
    static WireServer victoriaMetrics(Path home) throws Exception {
        Path data = home.resolve("data");
        Files.createDirectories(data);
        int port = ServerProcess.freePort();
        ServerProcess process = ServerProcess.start("VictoriaMetrics", List.of("victoria-metrics", "-storageDataPath=" + data,
                "-httpListenAddr=127.0.0.1:" + port, "-retentionPeriod=100y", "-search.disableCache", "-loggerLevel=WARN"), home,
                home.resolve("log"), Map.of());
        process.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/health"), 200, START_TIMEOUT);
        return new WireServer("VictoriaMetrics 1.79.5", process, port, data, PROMETHEUS_API) {
            /** Its documented endpoint: in-memory parts become searchable, on-disk parts. */
            @Override
            void flush() throws Exception {
                send(HttpRequest.newBuilder(uri("/internal/force_flush")).build(), "VictoriaMetrics flush");
            }
        };
    }

    /**
     * Prometheus 2.42 ({@code prometheus}, Debian) with {@code --web.enable-remote-write-receiver},
     * no scrape targets, and {@code out_of_order_time_window: 1h} in its configuration: without it
     * Prometheus refuses every sample older than its series' newest (D3 arrives shuffled, and 8
     * connections reorder any data set's requests a little).
     */
    static WireServer prometheus(Path home) throws Exception {
        Path data = home.resolve("data");
        Files.createDirectories(data);
        Path config = home.resolve("prometheus.yml");
        Files.writeString(config, "storage:\n  tsdb:\n    out_of_order_time_window: 1h\n");
        int port = ServerProcess.freePort();
        ServerProcess process = ServerProcess.start("Prometheus", List.of("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver",
                "--log.level=warn"), home, home.resolve("log"), Map.of());
        process.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/-/ready"), 200, START_TIMEOUT);
        return new WireServer("Prometheus 2.42", process, port, data, PROMETHEUS_API) {
            /**
             * Waits until the head holds at most 1.5 block ranges (3 h), the point below which
             * Prometheus stops compacting it into blocks: queries during that compaction can fail
             * ("cannot populate chunk"), and the data on disk is then in blocks.
             */
            @Override
            void flush() throws Exception {
                long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
                while (true) {
                    HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/v1/status/tsdb"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    JsonNode head = JSON.readTree(status.body()).path("data").path("headStats");
                    if (head.path("maxTime").asLong() - head.path("minTime").asLong() <= 3 * 3_600_000L) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Prometheus still compacting its head after " + START_TIMEOUT + ": " + head);
                    }
                    Thread.sleep(1000);
                }
            }
        };
    }

    /**
     * InfluxDB 1.6.7 ({@code influxd}, Debian) with its package's settings but for two limits the
     * data sets exceed: {@code max-values-per-tag = 0} (D3's {@code host} has 200,000 values, over
     * the default 100,000) and {@code max-series-per-database = 0}; self-monitoring and usage
     * reporting off. Database {@code bench} is created before the ingest.
     */
    static WireServer influxDb(Path home) throws Exception {
        Path data = home.resolve("data");
        Files.createDirectories(data);
        int port = ServerProcess.freePort();
        Path config = home.resolve("influxdb.conf");
        Files.writeString(config, String.join("\n",
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + ServerProcess.freePort() + "\"",
                "[meta]", "  dir = \"" + data.resolve("meta") + "\"",
                "[data]", "  dir = \"" + data.resolve("data") + "\"", "  wal-dir = \"" + data.resolve("wal") + "\"",
                "  max-series-per-database = 0", "  max-values-per-tag = 0", "  query-log-enabled = false",
                "[monitor]", "  store-enabled = false",
                "[http]", "  bind-address = \"127.0.0.1:" + port + "\"", "  log-enabled = false", "")); 
        ServerProcess process = ServerProcess.start("InfluxDB", List.of("influxd", "run", "-config", config.toString()), home,
                home.resolve("log"), Map.of());
        process.awaitAnswer(URI.create("http://127.0.0.1:" + port + "/ping"), 204, START_TIMEOUT);
        WireServer server = new WireServer("InfluxDB 1.6.7", process, port, data,
                new WireServer.Endpoints(null, INFLUX_WRITE, null));
        send(HttpRequest.newBuilder(server.uri("/query")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode("CREATE DATABASE bench", StandardCharsets.UTF_8)))
                .build(), "InfluxDB CREATE DATABASE");
        return server;
    }

    /** Sends a control request; anything but 2xx is an error naming {@code what}. */
    static void send(HttpRequest request, String what) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.body());
        }
    }
}
