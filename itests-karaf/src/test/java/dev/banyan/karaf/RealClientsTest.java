package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.sun.net.httpserver.HttpServer;

import dev.banyan.http.internal.prompb.LabelMatcher;
import dev.banyan.http.internal.prompb.Query;
import dev.banyan.http.internal.prompb.ReadRequest;
import dev.banyan.http.internal.prompb.ReadResponse;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.testsupport.Await;
import dev.banyan.testsupport.ChildJvm;

/**
 * Unmodified clients against the real assembly: Prometheus 2.42 (Debian package {@code prometheus})
 * scraping Banyan's /metrics and a small exporter, writing to Banyan with {@code remote_write} and
 * reading back with {@code remote_read}; the influx 1.x CLI (Debian package {@code influxdb-client})
 * writing line protocol through /write. Each runs on free loopback ports with its own data directory;
 * the README's test command installs both packages.
 */
public class RealClientsTest {

    private static final Duration BOOT = Duration.ofSeconds(180);

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static KarafInstance karaf;
    private static HttpClientSupport admin;

    @BeforeClass
    public static void startServer() throws Exception {
        karaf = KarafInstance.create(tmp.newFolder("clients").toPath());
        karaf.start();
        karaf.awaitServing(BOOT);
        admin = new HttpClientSupport("http://127.0.0.1:" + karaf.httpPort()).basic("banyan", karaf.password());
        karaf.awaitHttpReady(Duration.ofSeconds(60));
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (karaf != null) {
            karaf.shutdown(Duration.ofSeconds(60));
            karaf.close();
        }
    }

    @Test
    public void influxCliWritesThroughWriteAndTheDataIsQueryable() throws Exception {
        long seconds = System.currentTimeMillis() / 1000 - 600;
        Result insert = run(List.of("influx", "-host", "127.0.0.1", "-port", Integer.toString(karaf.httpPort()), "-username", "banyan",
                "-password", karaf.password(), "-database", "clidb", "-precision", "s", "-execute",
                "INSERT cpu,host=h1,region=eu usage=1.5,procs=3i " + seconds));
        assertEquals(insert.output(), 0, insert.status());
        Path file = tmp.newFile("import.txt").toPath();
        Files.writeString(file, "# DML\n# CONTEXT-DATABASE: clidb\ncpu,host=h2,region=us usage=2.5,procs=4i " + seconds
                + "\ncpu,host=h3 usage=3.5,procs=5i " + (seconds + 10) + "\n");
        Result imported = run(List.of("influx", "-host", "127.0.0.1", "-port", Integer.toString(karaf.httpPort()), "-username",
                "banyan", "-password", karaf.password(), "-import", "-path", file.toString(), "-precision", "s"));
        assertEquals(imported.output(), 0, imported.status());
        assertTrue(imported.output(), imported.output().contains("Processed 2 inserts") && imported.output().contains("Failed 0 inserts"));
        KarafInstance.Result rows = karaf.client("banyan:query --from " + (seconds - 60) * 1000 + " --to " + (seconds + 60) * 1000
                + " clidb cpu");
        assertEquals(rows.output(), 0, rows.status());
        String table = rows.output().replaceAll(" +", " ");
        for (String expected : List.of("host=h1, region=eu} | " + java.time.Instant.ofEpochSecond(seconds) + " | 1.5 | 3",
                "host=h2, region=us} | " + java.time.Instant.ofEpochSecond(seconds) + " | 2.5 | 4",
                "host=h3} | " + java.time.Instant.ofEpochSecond(seconds + 10) + " | 3.5 | 5")) {
            assertTrue(expected + " in\n" + rows.output(), table.contains(expected));
        }
        // InfluxQL is not served: the CLI prints what to use instead (it printed "ERR: %!s(<nil>)" for a 404).
        Result select = run(List.of("influx", "-host", "127.0.0.1", "-port", Integer.toString(karaf.httpPort()), "-username",
                "banyan", "-password", karaf.password(), "-database", "clidb", "-execute", "SELECT * FROM cpu"));
        assertTrue(select.output(), select.output().contains("ERR: InfluxQL is not supported by Banyan (q=SELECT * FROM cpu)"));
    }

    @Test
    public void prometheusScrapesWritesRemotelyAndFindsBanyansData() throws Exception {
        AtomicLong scrapes = new AtomicLong();
        HttpServer exporter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        exporter.createContext("/metrics", exchange -> {
            byte[] body = ("# HELP exporter_temperature_celsius A room's temperature.\n# TYPE exporter_temperature_celsius gauge\n"
                    + "exporter_temperature_celsius{room=\"lab\"} 21.5\n# TYPE exporter_scrapes_total counter\n"
                    + "exporter_scrapes_total " + scrapes.incrementAndGet() + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        exporter.start();
        Path dir = tmp.newFolder("prometheus").toPath();
        int prometheusPort = KarafInstance.freePort();
        String banyan = "127.0.0.1:" + karaf.httpPort();
        String auth = "    basic_auth: {username: banyan, password: '" + karaf.password() + "'}\n";
        Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n"
                + "  - job_name: banyan\n    static_configs: [{targets: ['" + banyan + "']}]\n" + auth
                + "  - job_name: exporter\n    static_configs: [{targets: ['127.0.0.1:" + exporter.getAddress().getPort() + "']}]\n"
                + "remote_write:\n  - url: http://" + banyan + "/api/v1/write\n" + auth
                + "    queue_config: {batch_send_deadline: 1s, max_samples_per_send: 500}\n"
                + "remote_read:\n  - url: http://" + banyan + "/api/v1/read\n    read_recent: true\n" + auth);
        try (ChildJvm prometheus = ChildJvm.startProcess(new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
                "--storage.tsdb.retention.time=1h"))) {
            HttpClientSupport prometheusApi = new HttpClientSupport("http://127.0.0.1:" + prometheusPort);
            // Banyan holds what Prometheus scraped from the exporter and from Banyan itself.
            Await.until("exporter samples remote-written to Banyan", Duration.ofSeconds(120), () -> count("exporter_scrapes_total") >= 3);
            Await.until("Banyan's own metrics remote-written to Banyan", Duration.ofSeconds(60),
                    () -> count("banyan_http_requests_total") >= 1);
            KarafInstance.Result rows = karaf.client("banyan:query --from " + (System.currentTimeMillis() - 600_000) + " --where job=exporter,room=lab "
                    + "prometheus exporter_temperature_celsius");
            assertTrue(rows.output(), rows.output().contains("| 21.5"));
            assertTrue(rows.output(), rows.output().contains("instance=127.0.0.1:" + exporter.getAddress().getPort()));
            // Prometheus's own query API agrees.
            HttpResponse<String> answer = prometheusApi.get("/api/v1/query?query=" + URLEncoder.encode(
                    "exporter_temperature_celsius{job=\"exporter\"}", StandardCharsets.UTF_8));
            assertEquals(answer.body(), 200, answer.statusCode());
            assertTrue(answer.body(), answer.body().contains("\"21.5\""));
            HttpResponse<String> up = prometheusApi.get("/api/v1/query?query=up%7Bjob%3D%22banyan%22%7D");
            assertTrue("Prometheus scrapes Banyan's /metrics with Basic auth: " + up.body(), up.body().contains("\"1\"]"));
            // A series only Banyan holds: Prometheus finds it through remote_read.
            long now = System.currentTimeMillis();
            assertEquals(204, admin.remoteWrite("", HttpClientSupport.write(HttpClientSupport.series("banyan_only_total",
                    HttpClientSupport.labels("source", "direct"), now - 20_000, 1, now - 10_000, 2, now, 3))).statusCode());
            HttpResponse<String> remote = prometheusApi.get("/api/v1/query?query=banyan_only_total&time=" + (now / 1000.0));
            assertEquals(remote.body(), 200, remote.statusCode());
            assertTrue("remote_read answered: " + remote.body(), remote.body().contains("\"source\":\"direct\"")
                    && remote.body().contains("\"3\"]"));
            // And Banyan answers a remote read directly with what Prometheus wrote to it.
            ReadResponse direct = admin.remoteRead("", ReadRequest.newBuilder().addQueries(Query.newBuilder()
                    .setStartTimestampMs(now - 600_000).setEndTimestampMs(now + 60_000)
                    .addMatchers(LabelMatcher.newBuilder().setName("__name__").setValue("exporter_temperature_celsius"))
                    .addMatchers(LabelMatcher.newBuilder().setType(LabelMatcher.Type.RE).setName("job").setValue("export.*"))).build());
            TimeSeries temperature = direct.getResults(0).getTimeseries(0);
            assertTrue(temperature.getSamplesCount() >= 3);
            assertTrue(temperature.getSamplesList().stream().allMatch(sample -> sample.getValue() == 21.5));
        } finally {
            exporter.stop(0);
        }
    }

    /** Samples of a metric in the Prometheus group over the last ten minutes. */
    private static long count(String metric) {
        try {
            KarafInstance.Result result = karaf.client("banyan:query --agg count --from " + (System.currentTimeMillis() - 600_000)
                    + " prometheus " + metric);
            long total = 0;
            java.util.regex.Matcher number = java.util.regex.Pattern.compile("\\|\\s*(\\d+)(\\.0)?\\s*$", java.util.regex.Pattern.MULTILINE)
                    .matcher(result.output());
            while (number.find()) {
                total += Long.parseLong(number.group(1));
            }
            return total;
        } catch (Exception e) {
            return 0;
        }
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
