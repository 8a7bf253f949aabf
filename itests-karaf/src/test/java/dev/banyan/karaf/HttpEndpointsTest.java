package dev.banyan.karaf;

import static dev.banyan.karaf.HttpClientSupport.labels;
import static dev.banyan.karaf.HttpClientSupport.series;
import static dev.banyan.karaf.HttpClientSupport.write;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.FileInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.xerial.snappy.Snappy;

import com.google.protobuf.ByteString;

import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.LabelMatcher;
import dev.banyan.http.internal.prompb.ReadRequest;
import dev.banyan.http.internal.prompb.ReadResponse;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.testsupport.Await;

/**
 * Banyan's HTTP endpoints on the real assembly ({@code bin/karaf run}), as collectors and operators
 * use them: authentication, remote write, InfluxDB line protocol, /metrics, health, TLS, and every
 * kind of bad input answered with a 4xx that names it, stores nothing it should not and leaves the
 * server serving.
 */
public class HttpEndpointsTest {

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final String TOKEN = "ci-token-3f9a0c7e51";
    private static final long LIMIT = 1024 * 1024;
    private static final int READ_LIMIT = 1000;

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static KarafInstance karaf;
    private static String base;
    private static HttpClientSupport admin;
    private static int tlsPort;
    private static Path keystore;
    /** Sample times: a minute grid an hour ago, inside any new group's write window. */
    private static long t0;

    @BeforeClass
    public static void startServer() throws Exception {
        karaf = KarafInstance.create(tmp.newFolder("http").toPath());
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        karaf.setProperty("dev.banyan.http.cfg", "bearerTokens", "ci:sha256:" + hash);
        karaf.setProperty("dev.banyan.http.cfg", "maxRequestBytes", LIMIT);
        karaf.setProperty("dev.banyan.http.cfg", "maxReadSamples", READ_LIMIT);
        keystore = karaf.home().resolve("etc/banyan.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "banyan", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String keytoolOutput = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(keytoolOutput, 0, keytool.waitFor());
        tlsPort = KarafInstance.freePort();
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.osgi.service.http.secure.enabled", "true");
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", tlsPort);
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore", keystore);
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore.type", "PKCS12");
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.keystore.password", "changeit");
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.key.password", "changeit");
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.ssl.key.alias", "banyan");
        karaf.start();
        karaf.awaitServing(BOOT);
        base = "http://127.0.0.1:" + karaf.httpPort();
        karaf.awaitHttpReady(Duration.ofSeconds(60));
        admin = new HttpClientSupport(base).basic("banyan", karaf.password());
        t0 = (System.currentTimeMillis() - 3_600_000) / 60_000 * 60_000;
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (karaf != null) {
            karaf.shutdown(Duration.ofSeconds(60));
            karaf.close();
        }
    }

    @Test
    public void unauthenticatedRequestsAre401AndStoreNothing() throws Exception {
        HttpClientSupport nobody = new HttpClientSupport(base);
        var write = write(series("auth_probe", labels("job", "x"), t0, 1));
        HttpResponse<String> refused = nobody.remoteWrite("", write);
        assertEquals(refused.body(), 401, refused.statusCode());
        assertEquals("Basic realm=\"Banyan\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, nobody.get("/metrics").statusCode());
        assertEquals(401, new HttpClientSupport(base).basic("banyan", "wrong").remoteWrite("", write).statusCode());
        assertEquals(401, new HttpClientSupport(base).basic("nobody", "x").get("/metrics").statusCode());
        assertEquals(401, new HttpClientSupport(base).authorization("Bearer not-" + TOKEN).remoteWrite("", write).statusCode());
        assertEquals(401, nobody.lineProtocol("/write?db=authdb&u=banyan&p=wrong", "auth_probe v=1").statusCode());
        assertEquals(401, nobody.lineProtocol("/api/v2/write?bucket=authdb", "auth_probe v=1").statusCode());
        assertFalse("nothing provisioned or stored for refused requests",
                karaf.client("banyan:measure-list " + "prometheus").output().contains("auth_probe"));
        assertFalse(karaf.client("banyan:status").output().contains("authdb"));

        // Each accepted form of credentials.
        assertEquals(204, admin.remoteWrite("", write).statusCode());
        assertEquals(204, new HttpClientSupport(base).authorization("Bearer " + TOKEN)
                .remoteWrite("", write(series("auth_probe", labels("job", "y"), t0, 2))).statusCode());
        assertEquals(204, new HttpClientSupport(base).authorization("Token " + TOKEN)
                .lineProtocol("/api/v2/write?bucket=authdb&org=any&precision=ms", "auth_probe v=1 " + t0).statusCode());
        assertEquals(204, nobody.lineProtocol("/write?db=authdb&precision=ms&u=banyan&p=" + karaf.password(),
                "auth_probe v=2 " + (t0 + 1000)).statusCode());
        assertEquals(2, count("prometheus", "auth_probe"));
        assertEquals(2, count("authdb", "auth_probe", "v"));
        // Health, readiness and the InfluxDB ping need no credentials.
        assertEquals(200, nobody.get("/-/healthy").statusCode());
        assertEquals(200, nobody.get("/-/ready").statusCode());
        assertEquals(204, nobody.get("/ping").statusCode());
    }

    @Test
    public void remoteWriteStoresEverySampleUnderItsLabelSet() throws Exception {
        HttpResponse<String> response = admin.remoteWrite("", write(
                series("rw_requests_total", labels("job", "api", "instance", "a:9100"), t0, 1, t0 + 60_000, 2, t0 + 120_000, 3),
                // An empty label is the same as no label: the same series as the next one.
                series("rw_requests_total", labels("job", "api", "instance", "b:9100", "zone", ""), t0, 10),
                series("rw_requests_total", labels("job", "api", "instance", "b:9100"), t0 + 60_000, 20),
                series("job:rw_requests:rate5m", labels("job", "api"), t0, 0.5),
                series("rw_escape", labels("path", "a\"b\\c\nd"), t0, 7)));
        assertEquals(response.body(), 204, response.statusCode());
        assertEquals(5, count("prometheus", "rw_requests_total"));
        KarafInstance.Result raw = karaf.client(query("prometheus", "rw_requests_total"));
        assertEquals(raw.output(), 2, raw.output().lines().filter(l -> l.contains("instance=b:9100")).count());
        assertTrue(raw.output(), raw.output().contains("{instance=\"b:9100\",job=\"api\"}"));
        assertEquals(1, count("prometheus", "job:rw_requests:rate5m"));
        assertEquals(1, count("prometheus", "rw_escape"));
        String measures = karaf.client("banyan:measure-list prometheus").output();
        assertTrue(measures, measures.contains("job:rw_requests:rate5m"));
    }

    @Test
    public void oneSeriesThatBreaksARuleRefusesTheWholeRemoteWrite() throws Exception {
        HttpResponse<String> response = admin.remoteWrite("", write(
                series("all_or_nothing", labels("job", "good"), t0, 1),
                series("all_or_nothing", labels("bad-label", "x"), t0, 2)));
        assertEquals(response.body(), 400, response.statusCode());
        assertTrue(response.body(), response.body().contains("series 1 all_or_nothing{bad-label=\"x\"}: 'bad-label' is not a "
                + "valid label name"));
        assertFalse("not even the good series is provisioned",
                karaf.client("banyan:measure-list prometheus").output().contains("all_or_nothing"));
        assertStillServes();
    }

    /**
     * [S13a] The write window belongs to the group, the same for every measure: a remote write with one
     * sample too far ahead of the server clock, or older than the group's TTL, is refused whole (400
     * naming the series and the window) before any of its measures is written or provisioned; a line
     * protocol write stores its other lines.
     */
    @Test
    public void aSampleOutsideTheWriteWindowRefusesTheWholeRemoteWriteBeforeAnyMeasureIsWritten() throws Exception {
        long ahead = System.currentTimeMillis() + 3L * 24 * 3_600_000;
        HttpResponse<String> future = admin.remoteWrite("", write(series("window_first", labels("job", "a"), t0, 1),
                series("window_ahead", labels("job", "a"), ahead, 2)));
        assertRefused(future, 400, "series 1 window_ahead{job=\"a\"}");
        assertTrue(future.body(), future.body().contains("too far ahead of the server clock"));
        long old = System.currentTimeMillis() - 400L * 24 * 3_600_000;
        HttpResponse<String> past = admin.remoteWrite("", write(series("window_first", labels("job", "a"), t0, 1),
                series("window_old", labels("job", "a"), old, 2)));
        assertRefused(past, 400, "series 1 window_old{job=\"a\"}");
        assertTrue(past.body(), past.body().contains("older than the group's TTL allows"));
        String measures = karaf.client("banyan:measure-list prometheus").output();
        assertFalse("nothing of the refused writes is stored or provisioned: " + measures, measures.contains("window_"));

        assertRefused(admin.lineProtocol("/write?db=windows&precision=ms", "window_lp,host=a v=1 " + t0 + "\nwindow_lp,host=b v=2 "
                + ahead), 400, "partial write: 1 line(s) refused, 1 point(s) stored: line 2: timestamp");
        assertEquals(1, count("windows", "window_lp", "v"));
        assertStillServes();
    }

    /**
     * [S18] A label value the storage cannot hold in a series (its text is limited to 64 KiB) is the
     * client's mistake at the HTTP door: 400 naming the series or line and the label, nothing of a
     * remote write stored, the other lines of a line-protocol write stored.
     */
    @Test
    public void labelValueOverTheStorageLimitIs400NamingTheLabel() throws Exception {
        String huge = "x".repeat(64 * 1024);
        assertRefused(admin.remoteWrite("", write(series("limit_rw", labels("job", "ok"), t0, 1),
                series("limit_rw", labels("job", "ok", "path", huge), t0, 2))), 400,
                "series 1 limit_rw{job=\"ok\", path=\"xxx");
        HttpResponse<String> refused = admin.remoteWrite("", write(series("limit_rw", labels("path", huge), t0, 2)));
        assertRefused(refused, 400, "label path has a value of 65536 bytes");
        assertTrue(refused.body(), refused.body().contains("more than the storage's limit of 65536 bytes per series"));
        assertFalse("nothing of the refused write is stored or provisioned",
                karaf.client("banyan:measure-list prometheus").output().contains("limit_rw"));
        assertRefused(admin.lineProtocol("/write?db=limits&precision=ms", "limit_lp,host=a v=1 " + t0 + "\nlimit_lp,host=b,path="
                + huge + " v=2 " + t0), 400, "partial write: 1 line(s) refused, 1 point(s) stored: line 2: label path has a "
                + "value of 65536 bytes");
        assertEquals(1, count("limits", "limit_lp", "v"));
        assertStillServes();
    }

    @Test
    public void malformedBodiesAre400AndStoreNothing() throws Exception {
        Map<String, String> snappy = Map.of("Content-Encoding", "snappy");
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf", snappy, "not snappy at all".getBytes()), 400,
                "not snappy-compressed");
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf", snappy, Snappy.compress(new byte[] {(byte) 0xff, 1, 2})),
                400, "not a protobuf WriteRequest");
        assertRefused(admin.remoteWrite("", write(TimeSeries.newBuilder().addLabels(Label.newBuilder().setName("job").setValue("x"))
                .addSamples(dev.banyan.http.internal.prompb.Sample.newBuilder().setTimestamp(t0).setValue(1)).build())), 400,
                "series 0 {job=\"x\"}: no metric name (label __name__)");
        assertRefused(admin.remoteWrite("", write(series("dup_label", labels("a", "1"), t0, 1).toBuilder()
                .addLabels(Label.newBuilder().setName("a").setValue("2")).build())), 400, "label a appears twice");
        assertRefused(admin.remoteWrite("", write(series("bad-metric", labels("a", "1"), t0, 1))), 400,
                "'bad-metric' is not a valid metric name");
        assertRefused(admin.remoteWrite("", write(series("native_hist", labels("a", "1"), t0, 1).toBuilder()
                .addHistograms(ByteString.copyFromUtf8("h")).build())), 400, "native histograms are not part of remote write 1.0");
        assertRefused(admin.lineProtocol("/write?db=malformed", "m,host=a v=1\nm,host=b v=\"text\"\nm,host=c"), 400,
                "partial write: 2 line(s) refused, 1 point(s) stored: line 2: field 'v' is a string");
        assertRefused(admin.lineProtocol("/write", "m v=1"), 400, "database is required");
        assertRefused(admin.lineProtocol("/write?db=x&precision=fortnight", "m v=1"), 400, "precision 'fortnight' is not one of");
        assertFalse(karaf.client("banyan:measure-list prometheus").output().contains("dup_label"));
        assertStillServes();
    }

    @Test
    public void wrongContentTypeOrEncodingIs415() throws Exception {
        byte[] body = Snappy.compress(write(series("ctype", labels("a", "1"), t0, 1)).toByteArray());
        assertRefused(admin.post("/api/v1/write", "text/plain", Map.of("Content-Encoding", "snappy"), body), 415,
                "Content-Type must be application/x-protobuf");
        assertRefused(admin.post("/api/v1/write", null, Map.of("Content-Encoding", "snappy"), body), 415, "got none");
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf", Map.of("Content-Encoding", "gzip"), body), 415,
                "Content-Encoding must be snappy");
        assertRefused(admin.post("/write?db=ctype", "text/plain", Map.of("Content-Encoding", "br"), "m v=1".getBytes()), 415,
                "Content-Encoding br is not supported");
        assertFalse(karaf.client("banyan:measure-list prometheus").output().contains("ctype"));
        assertStillServes();
    }

    @Test
    public void bodiesOverTheLimitAre413() throws Exception {
        byte[] big = new byte[(int) LIMIT + 1];
        new Random(1).nextBytes(big);
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf", Map.of("Content-Encoding", "snappy"), big), 413,
                "the request body is " + big.length + " bytes; the limit is " + LIMIT + " bytes (maxRequestBytes");
        // Small on the wire, over the limit once decompressed: a snappy bomb and a gzip bomb.
        byte[] bomb = Snappy.compress(new byte[(int) LIMIT * 4]);
        assertTrue(bomb.length < LIMIT);
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf", Map.of("Content-Encoding", "snappy"), bomb), 413,
                "once decompressed is " + LIMIT * 4 + " bytes");
        byte[] lines = "bomb v=1\n".repeat((int) LIMIT / 4).getBytes(StandardCharsets.UTF_8);
        assertRefused(admin.post("/write?db=bombs", "text/plain", Map.of("Content-Encoding", "gzip"), HttpClientSupport.gzip(lines)),
                413, "once decompressed is larger than " + LIMIT);
        assertFalse(karaf.client("banyan:status").output().contains("bombs"));
        assertStillServes();
    }

    @Test
    public void unknownGroupInStrictModeIs404() throws Exception {
        karaf.setProperty("dev.banyan.http.cfg", "strict", "true");
        try {
            // Until the change applies, each probe creates its own group (and so never blocks a later probe).
            java.util.concurrent.atomic.AtomicInteger probe = new java.util.concurrent.atomic.AtomicInteger();
            Await.until("strict mode applied", Duration.ofSeconds(60), () -> status(() -> admin.remoteWrite(
                    "?group=before_strict_" + probe.incrementAndGet(), write(series("strict_probe", labels(), t0, 1)))) == 404);
            HttpResponse<String> response = admin.remoteWrite("?group=nosuch", write(series("strict_probe", labels(), t0, 1)));
            assertRefused(response, 404, "group nosuch does not exist; writes do not create groups in strict mode");
            assertRefused(admin.lineProtocol("/write?db=nosuchdb", "m v=1"), 404, "group nosuchdb does not exist");
            assertFalse(karaf.client("banyan:status").output().contains("nosuch"));
            // Existing groups still take writes.
            assertEquals(204, admin.remoteWrite("", write(series("strict_probe", labels(), t0, 1))).statusCode());
        } finally {
            karaf.setProperty("dev.banyan.http.cfg", "strict", "false");
        }
        Await.until("strict mode off", Duration.ofSeconds(60),
                () -> status(() -> admin.remoteWrite("?group=created_by_write", write(series("strict_probe", labels(), t0, 1)))) == 204);
        assertEquals(1, count("created_by_write", "strict_probe"));
    }

    @Test
    public void concurrentFirstWritesProvisionAMeasureOnceWithEveryLabel() throws Exception {
        int writers = 16;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int worker = w;
                answers.add(pool.submit(() -> {
                    start.await();
                    double[] samples = new double[20];
                    for (int i = 0; i < 10; i++) {
                        samples[2 * i] = t0 + i * 1000;
                        samples[2 * i + 1] = worker * 100 + i;
                    }
                    return admin.remoteWrite("", write(series("race_total", labels("worker", "w" + worker, "only_" + worker, "x"),
                            samples)));
                }));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertEquals(response.body(), 204, response.statusCode());
            }
        } finally {
            pool.shutdownNow();
        }
        String measures = karaf.client("banyan:measure-list prometheus").output();
        String row = measures.lines().filter(l -> l.startsWith("race_total ")).findFirst().orElseThrow(() -> new AssertionError(measures));
        for (int w = 0; w < writers; w++) {
            assertTrue(row, row.contains("only_" + w + ":STRING"));
        }
        assertEquals(writers * 10, count("prometheus", "race_total"));
    }

    @Test
    public void remoteReadSelectsWithEveryMatcherKindAndReturnsSamplesBitExact() throws Exception {
        double stale = Double.longBitsToDouble(HttpClientSupport.STALE_NAN_BITS);
        assertEquals(204, admin.remoteWrite("", write(
                series("rr_cpu", labels("job", "api", "instance", "a"), t0, 1.0, t0 + 1000, stale, t0 + 2000, Double.POSITIVE_INFINITY),
                series("rr_cpu", labels("job", "api", "instance", "b", "zone", "eu"), t0, 2),
                series("rr_cpu", labels("job", "web", "instance", "c"), t0, 3),
                series("rr_mem", labels("job", "api", "instance", "a"), t0, 4))).statusCode());
        assertEquals(List.of("rr_cpu{instance=a,job=api}", "rr_cpu{instance=b,job=api,zone=eu}"),
                read(t0, t0 + 2000, eq("__name__", "rr_cpu"), eq("job", "api")));
        assertEquals(List.of("rr_cpu{instance=c,job=web}"), read(t0, t0 + 2000, eq("__name__", "rr_cpu"), matcher(LabelMatcher.Type.NEQ, "job", "api")));
        assertEquals(List.of("rr_cpu{instance=a,job=api}", "rr_cpu{instance=c,job=web}", "rr_mem{instance=a,job=api}"),
                read(t0, t0 + 2000, matcher(LabelMatcher.Type.RE, "__name__", "rr_.*"), matcher(LabelMatcher.Type.RE, "instance", "a|c")));
        assertEquals(List.of("rr_cpu{instance=c,job=web}"),
                read(t0, t0 + 2000, eq("__name__", "rr_cpu"), matcher(LabelMatcher.Type.NRE, "instance", "a|b")));
        assertEquals("an empty value selects series without the label", List.of("rr_cpu{instance=a,job=api}", "rr_cpu{instance=c,job=web}"),
                read(t0, t0 + 2000, eq("__name__", "rr_cpu"), eq("zone", "")));
        assertEquals(List.of("rr_cpu{instance=b,job=api,zone=eu}"),
                read(t0, t0 + 2000, eq("__name__", "rr_cpu"), matcher(LabelMatcher.Type.NEQ, "zone", "")));
        // Both ends of the range are included; samples come back bit-exact, the staleness marker too.
        TimeSeries a = readSeries(t0, t0 + 1000, eq("__name__", "rr_cpu"), eq("instance", "a")).get(0);
        assertEquals(List.of(t0, t0 + 1000), a.getSamplesList().stream().map(s -> s.getTimestamp()).toList());
        assertEquals(Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(a.getSamples(0).getValue()));
        assertEquals(HttpClientSupport.STALE_NAN_BITS, Double.doubleToRawLongBits(a.getSamples(1).getValue()));
        assertEquals(Double.POSITIVE_INFINITY, readSeries(t0, t0 + 2000, eq("__name__", "rr_cpu"), eq("instance", "a")).get(0)
                .getSamples(2).getValue(), 0);
        // Several queries in one request: one result each, in order.
        ReadResponse two = admin.remoteRead("", ReadRequest.newBuilder().addQueries(query(t0, t0, eq("__name__", "rr_mem")))
                .addQueries(query(t0, t0, eq("__name__", "rr_cpu"), eq("job", "web"))).build());
        assertEquals(2, two.getResultsCount());
        assertEquals(4.0, two.getResults(0).getTimeseries(0).getSamples(0).getValue(), 0);
        assertEquals(3.0, two.getResults(1).getTimeseries(0).getSamples(0).getValue(), 0);
    }

    @Test
    public void badRemoteReadsAre4xx() throws Exception {
        assertRefused(admin.remoteReadRaw("", ReadRequest.newBuilder().addQueries(query(t0, t0 + 1000,
                matcher(LabelMatcher.Type.RE, "job", "a(?=b)"))).build()), 400, "is not a valid RE2 regular expression");
        assertRefused(admin.remoteReadRaw("", ReadRequest.newBuilder().addQueries(query(t0, t0 + 1000, eq("__name__", "x")))
                .addAcceptedResponseTypes(ReadRequest.ResponseType.STREAMED_XOR_CHUNKS).build()), 400, "only the SAMPLES response type");
        assertRefused(admin.post("/api/v1/read", "text/plain", Map.of("Content-Encoding", "snappy"), new byte[] {1}), 415,
                "Content-Type must be application/x-protobuf");
        assertRefused(admin.post("/api/v1/read", "application/x-protobuf", Map.of("Content-Encoding", "snappy"),
                Snappy.compress(new byte[] {(byte) 0xff, 1})), 400, "not a protobuf ReadRequest");
        double[] samples = new double[2 * (READ_LIMIT + 1)];
        for (int i = 0; i <= READ_LIMIT; i++) {
            samples[2 * i] = t0 + i;
            samples[2 * i + 1] = i;
        }
        assertEquals(204, admin.remoteWrite("", write(series("rr_big", labels("a", "b"), samples))).statusCode());
        assertRefused(admin.remoteReadRaw("", ReadRequest.newBuilder().addQueries(query(t0, t0 + READ_LIMIT, eq("__name__", "rr_big")))
                .build()), 400, "more than " + READ_LIMIT + " samples");
        assertEquals(READ_LIMIT, readSeries(t0, t0 + READ_LIMIT - 1, eq("__name__", "rr_big")).get(0).getSamplesCount());
        assertStillServes();
    }

    /** [S12] A timestamp outside the supported range is the client's mistake: 400 naming series and timestamp, nothing stored. */
    @Test
    public void remoteWriteTimestampsOutsideTheSupportedRangeAre400NamingSeriesAndTimestamp() throws Exception {
        assertRefused(admin.remoteWrite("", write(series("ts_range", labels("job", "a"), Long.MAX_VALUE, 1))), 400,
                "series 0 ts_range{job=\"a\"}: timestamp +292278994-08-17T07:12:55.807Z (9223372036854775807) is outside the "
                        + "supported range [1970-01-01T00:00:00.001Z, 9999-12-31T23:59:59.999Z]");
        // All or nothing: a good series of another metric before the bad one is not stored either.
        assertRefused(admin.remoteWrite("", write(series("ts_good", labels("job", "a"), t0, 1),
                series("ts_range", labels("job", "b"), t0, 1, 253_402_300_800_000L, 2))), 400,
                "series 1 ts_range{job=\"b\"}: timestamp +10000-01-01T00:00:00Z (253402300800000) is outside the supported range");
        String measures = karaf.client("banyan:measure-list prometheus").output();
        assertFalse("nothing of the refused writes is stored or provisioned: " + measures,
                measures.contains("ts_good") || measures.contains("ts_range"));
        assertStillServes();
    }

    /** Remote read refuses what remote write refuses: a range ending before it starts, a bad or unknown group, a bad regex. */
    @Test
    public void badRemoteReadRangesAndGroupsAre4xxAsForWrites() throws Exception {
        ReadRequest read = ReadRequest.newBuilder().addQueries(query(t0, t0 + 1000, eq("__name__", "x")))
                .addQueries(query(t0 + 1000, t0, eq("__name__", "x"))).build();
        assertRefused(admin.remoteReadRaw("", read), 400, "query 1: end_timestamp_ms " + t0 + " is before start_timestamp_ms "
                + (t0 + 1000));
        ReadRequest good = ReadRequest.newBuilder().addQueries(query(t0, t0 + 1000, eq("__name__", "x"))).build();
        String invalid = "group '../x' is not a valid group name";
        assertRefused(admin.remoteWrite("?group=../x", write(series("rr_group", labels(), t0, 1))), 400, invalid);
        assertRefused(admin.remoteReadRaw("?group=../x", good), 400, invalid);
        assertRefused(admin.remoteReadRaw("?group=rr_nosuch", good), 404, "group rr_nosuch does not exist");
        HttpResponse<String> regex = admin.remoteReadRaw("", ReadRequest.newBuilder().addQueries(query(t0, t0 + 1000,
                matcher(LabelMatcher.Type.RE, "job", "["))).build());
        assertRefused(regex, 400, "query 0: matcher job=~\"[\" is not a valid RE2 regular expression: Unclosed character class");
        assertFalse(regex.body(), regex.body().contains("(?:"));
        assertStillServes();
    }

    /** Remote write 2.0 is refused with 415 so that the sender falls back to 1.0 (remote write 2.0 spec); so are other types. */
    @Test
    public void remoteWrite2AndOtherProtobufMessagesAre415() throws Exception {
        byte[] body = Snappy.compress(write(series("rw_version", labels("a", "1"), t0, 1)).toByteArray());
        Map<String, String> v2 = Map.of("Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "2.0.0");
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf;proto=io.prometheus.write.v2.Request", v2, body), 415,
                "this endpoint reads only proto=prometheus.WriteRequest");
        Map<String, String> snappy = Map.of("Content-Encoding", "snappy");
        assertRefused(admin.post("/api/v1/write", "application/x-protobuf; proto=prometheus.ReadRequest", snappy, body), 415,
                "reads only proto=prometheus.WriteRequest");
        assertRefused(admin.post("/api/v1/write", "application/x-protobuffer", snappy, body), 415,
                "Content-Type must be application/x-protobuf");
        assertFalse(karaf.client("banyan:measure-list prometheus").output().contains("rw_version"));
        // The 1.0 message named explicitly is what the endpoint reads.
        assertEquals(204, admin.post("/api/v1/write", "application/x-protobuf;proto=prometheus.WriteRequest", snappy, body).statusCode());
        assertEquals(1, count("prometheus", "rw_version"));
    }

    /** InfluxDB's clients read InfluxDB's error shapes: 401s, /query, and line refusals that name what clashes. */
    @Test
    public void influxEndpointsAnswerInInfluxDbShapesNamingTheMistake() throws Exception {
        HttpClientSupport nobody = new HttpClientSupport(base);
        HttpResponse<String> v2 = nobody.lineProtocol("/api/v2/write?bucket=shapes", "m v=1");
        assertRefused(v2, 401, "{\"code\":\"unauthorized\",\"message\":\"");
        assertRefused(nobody.lineProtocol("/write?db=shapes", "m v=1"), 401, "{\"error\":\"");
        HttpResponse<String> select = admin.get("/query?db=shapes&q=" + java.net.URLEncoder.encode("SELECT * FROM cpu",
                StandardCharsets.UTF_8));
        assertRefused(select, 400, "{\"error\":\"InfluxQL is not supported by Banyan (q=SELECT * FROM cpu)");
        assertRefused(admin.post("/query", "application/x-www-form-urlencoded", Map.of(), "q=SHOW+DATABASES".getBytes()), 400,
                "InfluxQL is not supported by Banyan (q=SHOW DATABASES)");
        String clash = "'usage' is both a tag and a field; in Banyan a measure's tags and fields share one set of names";
        assertRefused(admin.lineProtocol("/write?db=shapes", "cpu,usage=x usage=1"), 400, "line 1: " + clash);
        // Against the measure's schema: a field name used as a tag later, and a Prometheus label named like the sample field.
        assertEquals(204, admin.lineProtocol("/write?db=shapes&precision=ms", "cpu usage=1 " + t0).statusCode());
        assertRefused(admin.lineProtocol("/write?db=shapes&precision=ms", "cpu,usage=x usage=2 " + t0 + "\ncpu,usage=y v=2 " + t0),
                400, "line 2: " + clash + ": rename one of them (tag 'usage' of this point, field of measure shapes/cpu)");
        assertRefused(admin.remoteWrite("", write(series("label_value", labels("value", "x"), t0, 1))), 400,
                "series 0 label_value{value=\"x\"}: 'value' is both a tag and a field");
        assertRefused(admin.lineProtocol("/write?db=shapes", "cpu usage=NaN"), 400,
                "line 1: field 'usage' = NaN: line protocol has no NaN or infinite floats");
        assertStillServes();
    }

    /** The PromQL API refuses what would exhaust the server: deep nesting (400 naming the limit) and forms over 10 MiB (413). */
    @Test
    public void promqlDeepNestingAndLargeFormsAre4xxNamingTheLimit() throws Exception {
        for (String deep : List.of("(".repeat(3000) + "1" + ")".repeat(3000), "-".repeat(20_000) + "1")) {
            HttpResponse<String> response = admin.post("/api/v1/query", "application/x-www-form-urlencoded", Map.of(),
                    ("query=" + java.net.URLEncoder.encode(deep, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            assertRefused(response, 400, "\"errorType\":\"bad_data\"");
            assertTrue(response.body(), response.body().contains("nested beyond the limit of 256 levels"));
        }
        // Grafana POSTs long queries: a form over Jetty's 200,000 bytes is read; one over 10 MiB is 413 naming the limit.
        byte[] long1 = ("query=1" + "%20".repeat(100_000) + "&time=" + t0 / 1000).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> ok = admin.post("/api/v1/query", "application/x-www-form-urlencoded", Map.of(), long1);
        assertEquals(ok.body(), 200, ok.statusCode());
        String[] huge = admin.postDeclaringLength("/api/v1/query", "application/x-www-form-urlencoded", 11L << 20);
        assertTrue(huge[0] + " " + huge[1], huge[0].startsWith("HTTP/1.1 413"));
        assertTrue(huge[1], huge[1].contains("the request body is 11534336 bytes; the limit is 10485760 bytes (the largest form "
                + "Banyan reads, as Prometheus's own API)"));
        // Metadata ranges: an end before the start is 400, and times at the ends of int64 do not overflow.
        assertRefused(admin.get("/api/v1/series?match%5B%5D=up&start=10&end=5"), 400, "end timestamp must not be before start time");
        assertEquals(200, admin.get("/api/v1/labels?start=-9223372036854775.808&end=9223372036854775.807").statusCode());
        assertStillServes();
    }

    @Test
    public void lineProtocolV1AndV2() throws Exception {
        HttpResponse<String> v1 = admin.lineProtocol("/write?db=influxdb&precision=s&rp=autogen",
                "# a comment\ncpu,host=h1,region=eu usage=0.5,procs=12i " + t0 / 1000 + "\n\ncpu,host=h2 usage=1.5,procs=7i "
                        + t0 / 1000 + "\n");
        assertEquals(v1.body(), 204, v1.statusCode());
        byte[] gz = HttpClientSupport.gzip(("cpu,host=h3 usage=2.5,procs=1i " + t0 * 1_000_000 + "\nmem,host=h3 free=5u "
                + t0 * 1_000_000).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> v2 = new HttpClientSupport(base).authorization("Token " + TOKEN)
                .post("/api/v2/write?bucket=influxdb/autogen&org=o&precision=ns", "text/plain", Map.of("Content-Encoding", "gzip"), gz);
        assertEquals(v2.body(), 204, v2.statusCode());
        assertEquals(3, count("influxdb", "cpu", "usage"));
        assertEquals(1, count("influxdb", "mem", "free"));
        String measures = karaf.client("banyan:measure-list influxdb").output();
        assertTrue(measures, measures.contains("usage:DOUBLE,procs:LONG"));
        // Partial writes, as InfluxDB: valid lines are stored, the others named.
        HttpResponse<String> partial = admin.lineProtocol("/write?db=influxdb&precision=ms", "cpu,host=h4 usage=1,procs=1i " + t0
                + "\ncpu,host=h5 usage=1i,procs=1i " + t0 + "\ncpu,host=h6 usage=3,procs=2i " + t0);
        assertRefused(partial, 400, "partial write: 1 line(s) refused, 2 point(s) stored: line 2: field 'usage' is an integer but "
                + "measure influxdb/cpu stores it as DOUBLE");
        assertEquals(5, count("influxdb", "cpu", "usage"));
        // A new field grows the measure; a line without a field leaves it absent.
        HttpResponse<String> grown = admin.lineProtocol("/write?db=influxdb&precision=ms", "cpu,host=h8 usage=4,temp=50i " + t0
                + "\ncpu,host=h9 usage=5 " + t0);
        assertEquals(grown.body(), 204, grown.statusCode());
        assertTrue(karaf.client("banyan:measure-list influxdb").output().contains("usage:DOUBLE,procs:LONG,temp:LONG"));
        assertEquals(7, count("influxdb", "cpu", "usage"));
        assertEquals("points before the new field lack it", 1, count("influxdb", "cpu", "temp"));
        HttpResponse<String> v2Error = admin.lineProtocol("/api/v2/write?bucket=influxdb", "cpu,host=h7 usage=\"x\"");
        assertEquals(400, v2Error.statusCode());
        assertTrue(v2Error.body(), v2Error.body().startsWith("{\"code\":\"invalid\",\"message\":\"partial write"));
        HttpResponse<String> ping = new HttpClientSupport(base).get("/ping");
        assertEquals(204, ping.statusCode());
        assertTrue(ping.headers().firstValue("X-Influxdb-Version").isPresent());
    }

    @Test
    public void metricsExposeRequestsStorageAndJvm() throws Exception {
        assertEquals(204, admin.remoteWrite("", write(series("metrics_probe", labels(), t0, 1))).statusCode());
        HttpResponse<String> metrics = admin.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse(""), metrics.headers().firstValue("Content-Type").orElse("")
                .startsWith("text/plain; version=0.0.4"));
        for (String expected : List.of("banyan_http_requests_total{code=\"204\",endpoint=\"/api/v1/write\"}",
                "banyan_http_request_duration_seconds_bucket{endpoint=\"/api/v1/write\",le=\"",
                "banyan_http_samples_written_total{protocol=\"remote_write\"}", "banyan_http_auth_failures_total",
                "banyan_storage_rotations_started_total", "banyan_repository_errors_total", "banyan_groups{state=\"SERVING\"}",
                "jvm_memory_used_bytes{area=\"heap\"}")) {
            assertTrue(expected + " in\n" + metrics.body(), metrics.body().contains(expected));
        }
    }

    @Test
    public void readyOnlyWhileTheServerCanServeEveryGroup() throws Exception {
        HttpClientSupport nobody = new HttpClientSupport(base);
        assertEquals(200, nobody.get("/-/ready").statusCode());
        karaf.client("bundle:stop dev.banyan.server");
        try {
            Await.until("not ready while the server bundle is stopped", Duration.ofSeconds(60),
                    () -> status(() -> nobody.get("/-/ready")) == 503);
            assertTrue(nobody.get("/-/ready").body().startsWith("Banyan is not ready: "));
            assertEquals("alive all the same", 200, nobody.get("/-/healthy").statusCode());
        } finally {
            karaf.client("bundle:start dev.banyan.server");
        }
        Await.until("ready again", Duration.ofSeconds(60), () -> status(() -> nobody.get("/-/ready")) == 200);
        assertStillServes();
    }

    @Test
    public void tlsServesTheEndpointsWithTheConfiguredKeystore() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            trusted.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        String https = "https://127.0.0.1:" + tlsPort;
        Await.until("TLS connector up", Duration.ofSeconds(60), () -> status(() -> client.send(HttpRequest.newBuilder(
                URI.create(https + "/-/healthy")).build(), HttpResponse.BodyHandlers.ofString())) == 200);
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(URI.create(https + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(URI.create(https + "/metrics"))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("banyan_http_requests_total"));
    }

    private static LabelMatcher eq(String name, String value) {
        return matcher(LabelMatcher.Type.EQ, name, value);
    }

    private static LabelMatcher matcher(LabelMatcher.Type type, String name, String value) {
        return LabelMatcher.newBuilder().setType(type).setName(name).setValue(value).build();
    }

    private static dev.banyan.http.internal.prompb.Query query(long start, long end, LabelMatcher... matchers) {
        return dev.banyan.http.internal.prompb.Query.newBuilder().setStartTimestampMs(start).setEndTimestampMs(end)
                .addAllMatchers(List.of(matchers)).build();
    }

    private static List<TimeSeries> readSeries(long start, long end, LabelMatcher... matchers) throws Exception {
        ReadResponse response = admin.remoteRead("", ReadRequest.newBuilder().addQueries(query(start, end, matchers)).build());
        assertEquals(1, response.getResultsCount());
        return response.getResults(0).getTimeseriesList();
    }

    /** The series a remote read returns, as {@code name{label=value,...}} (labels in the order received). */
    private static List<String> read(long start, long end, LabelMatcher... matchers) throws Exception {
        List<String> described = new ArrayList<>();
        for (TimeSeries series : readSeries(start, end, matchers)) {
            String name = "";
            List<String> labels = new ArrayList<>();
            for (Label label : series.getLabelsList()) {
                if (label.getName().equals("__name__")) {
                    name = label.getValue();
                } else {
                    labels.add(label.getName() + "=" + label.getValue());
                }
            }
            described.add(name + "{" + String.join(",", labels) + "}");
        }
        return described;
    }

    /** One more good write is acknowledged and stored: a bad request did not stop the server for others. */
    private static void assertStillServes() throws Exception {
        String metric = "still_serving_" + System.nanoTime();
        assertEquals(204, admin.remoteWrite("", write(series(metric, labels("a", "b"), t0, 1))).statusCode());
        assertEquals(1, count("prometheus", metric));
    }

    private static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue("'" + message + "' in: " + response.body(), response.body().contains(message));
    }

    private static String query(String group, String measure) {
        return "banyan:query --from " + (t0 - 86_400_000) + " --to " + (t0 + 86_400_000) + " " + group + " " + measure;
    }

    /** Points of a measure (with a value of its field {@code value}) over the test's time range, summed over its series. */
    private static long count(String group, String measure) throws Exception {
        return count(group, measure, "value");
    }

    /** Points of a measure with a value of {@code field} over the test's time range, summed over its series. */
    private static long count(String group, String measure, String field) throws Exception {
        KarafInstance.Result result = karaf.client("banyan:query --agg count --fields " + field + " "
                + query(group, measure).substring("banyan:query ".length()));
        assertEquals(result.output(), 0, result.status());
        Matcher number = Pattern.compile("\\|\\s*(\\d+)(\\.0)?\\s*$", Pattern.MULTILINE).matcher(result.output());
        long total = 0;
        while (number.find()) {
            total += Long.parseLong(number.group(1));
        }
        return total;
    }

    @FunctionalInterface
    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    private static int status(Call call) {
        try {
            return call.send().statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
