package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runners.MethodSorters;

import dev.banyan.testsupport.Await;

/**
 * [R11] Never half-alive through the HTTP door, on one real assembly: while Banyan's components
 * restart every API path answers 503 with Retry-After (a retryable answer), never 404; readiness
 * ({@code banyan:status}, {@code /-/ready}) is never Ready while the schema registry cannot be
 * written or nothing listens; every servlet of every Banyan bundle comes back after Pax Web's
 * server restarts. The tests run in name order on one server.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KarafHttpDoorTest {

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static KarafInstance karaf;

    @BeforeClass
    public static void startServer() throws Exception {
        karaf = KarafInstance.create(tmp.newFolder("door").toPath());
        karaf.start();
        karaf.awaitServing(BOOT);
        karaf.awaitHttpReady(WAIT);
        assertOk(karaf.client("banyan:group-create --shards 1 g"), "Created group g");
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (karaf != null) {
            assertEquals(0, karaf.shutdown(Duration.ofSeconds(60)));
            karaf.close();
        }
    }

    private static HttpClientSupport admin() throws Exception {
        return new HttpClientSupport("http://127.0.0.1:" + karaf.httpPort()).basic("banyan", karaf.password());
    }

    /** Writes through every write protocol in a loop until stopped; every answer's status, and the refusals. */
    private static final class Writers implements AutoCloseable {
        final List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> died = new AtomicReference<>();
        private final Thread thread;

        Writers(HttpClientSupport http) {
            thread = new Thread(() -> {
                long n = 0;
                // Recent points: the write window refuses points older than the group's TTL.
                long base = System.currentTimeMillis() - 3_600_000;
                try {
                    while (running.get()) {
                        n++;
                        HttpResponse<String> influx = http.lineProtocol("/write?db=g&precision=ms", "cpu,host=h1 value=" + n + " "
                                + (base + n));
                        check("/write", influx);
                        HttpResponse<String> remote = http.remoteWrite("?group=g", HttpClientSupport.write(HttpClientSupport.series(
                                "up", HttpClientSupport.labels("job", "door"), base + n, 1)));
                        check("/api/v1/write", remote);
                        Thread.sleep(10);
                    }
                } catch (Throwable t) {
                    died.set(t);
                }
            }, "door-writer");
            thread.start();
        }

        /** 204 stored, or 503 with Retry-After and a body saying why and to retry; anything else is wrong. */
        private void check(String path, HttpResponse<String> response) {
            int status = response.statusCode();
            answers.add(path + " " + status);
            // A write racing the close itself is told so ("closed during the write ... retry it"): also a retriable 503.
            boolean retryable = status == 503 && response.headers().firstValue("Retry-After").isPresent()
                    && (response.body().contains("not serving") || response.body().contains("retry it"));
            if (status != 204 && !retryable) {
                wrong.add(path + " " + status + " " + response.headers().map() + " " + response.body());
            }
        }

        int count() {
            return answers.size();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
            if (died.get() != null) {
                throw new AssertionError("writer died", died.get());
            }
        }
    }

    /** Writers keep going until the components restarted by {@code change} answer again. */
    private static void writeThrough(String what, ThrowingRunnable change) throws Exception {
        try (Writers writers = new Writers(admin())) {
            Await.until("first writes", WAIT, () -> writers.count() >= 6);
            int booted = count("Schema repository booted");
            change.run();
            Await.until("the repository restarted for " + what, WAIT, () -> count("Schema repository booted") > booted);
            int after = writers.count();
            Await.until("writes after the restart", WAIT, () -> writers.count() >= after + 10
                    && writers.answers.get(writers.count() - 1).endsWith(" 204"));
            writers.close();
            System.out.printf("%s: %d answers, statuses %s%n", what, writers.count(),
                    writers.answers.stream().map(a -> a.substring(a.lastIndexOf(' ') + 1)).distinct().toList());
            assertEquals(what + ": every answer 204 or 503 with Retry-After, never 404", List.of(), List.copyOf(writers.wrong));
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static int count(String text) {
        return (int) karaf.output().lines().filter(l -> l.contains(text)).count();
    }

    /**
     * The HTTP door registers on Pax Web's own thread, often after the repository booted: the log
     * still says, once, when the node became ready (operators and scripts read it there).
     */
    @Test
    public void a0_r11_theLogSaysWhenTheNodeBecameReady() throws Exception {
        try {
            Await.until("a log line saying the node serves", WAIT,
                    () -> count("Schema repository booted: serving") + count("Node ready: serving") > 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output:\n" + karaf.output(), e);
        }
        assertEquals(karaf.output(), 1, count("Schema repository booted"));
        assertTrue(karaf.output(), count("Node ready") <= 1);
    }

    @Test
    public void a_r11_writesWhileTheServerComponentRestartsAreAnswered503NeverNotFound() throws Exception {
        writeThrough("dev.banyan.server reconfigured", () -> karaf.configure("dev.banyan.server", "durability", "OS"));
    }

    @Test
    public void b_r11_writesWhileStorageMovesItsDataRootAreAnswered503NeverNotFound() throws Exception {
        Path moved = karaf.home().resolve("data/moved");
        writeThrough("dev.banyan.storage moved", () -> karaf.configure("dev.banyan.storage", "dataRoot", moved.toString()));
        assertTrue(Files.isDirectory(moved.resolve(".registry")));
    }

    @Test
    public void c_r11_aSchemaRegistryThatCannotBeWrittenIsNotReady() throws Exception {
        Path registry = Files.createDirectories(karaf.home().resolve("data/moved/.registry"));
        Chattr.immutable(registry, true);
        try {
            KarafInstance.Result refused = karaf.client("banyan:group-create --shards 1 unwritable");
            assertNotEquals(refused.output(), 0, refused.status());
            karaf.awaitOutput("banyan:status", WAIT, r -> r.status() != 0 && r.output().contains("cannot write the schema registry"));
            HttpResponse<String> ready = admin().get("/-/ready");
            assertEquals(ready.body(), 503, ready.statusCode());
            assertTrue(ready.body(), ready.body().contains("cannot write the schema registry"));
        } finally {
            Chattr.immutable(registry, false);
        }
        // Once it can be written again the node is ready again, without a restart.
        karaf.awaitAnswer("banyan:status", WAIT);
        assertEquals(200, admin().get("/-/ready").statusCode());
    }

    @Test
    public void d_r11_nothingListeningIsNotReady() throws Exception {
        karaf.setProperty("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", "18l81");
        karaf.awaitOutput("banyan:status", WAIT, r -> r.status() != 0 && r.output().contains("HTTP"));
        KarafInstance.Result status = karaf.client("banyan:status");
        assertTrue(status.output(), status.output().contains("not ready"));
    }

    @Test
    public void e_r11_everyBanyanServletComesBackAfterPaxWebRestarts() throws Exception {
        int first = KarafInstance.freePort();
        for (int port : new int[] {first, KarafInstance.freePort(), first}) {
            karaf.setProperty("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", port);
            HttpClientSupport http = new HttpClientSupport("http://127.0.0.1:" + port).basic("banyan", karaf.password());
            poll("GET /-/ready 200 on port " + port, () -> http.get("/-/ready").statusCode() == 200);
            // Every servlet of every Banyan bundle: none is 404.
            for (String path : List.of("/-/healthy", "/metrics", "/api/v1/query?query=up", "/api/v1/labels",
                    "/api/v1/series?match[]=up", "/api/v1/status/buildinfo", "/ping")) {
                poll("GET " + path + " on port " + port + " answered", () -> {
                    int status = http.get(path).statusCode();
                    return status == 200 || status == 204;
                });
            }
            assertEquals(204, http.lineProtocol("/write?db=g&precision=ms", "cpu,host=h2 value=1 " + (System.currentTimeMillis() - 60_000)).statusCode());
            assertEquals(204, http.remoteWrite("?group=g", HttpClientSupport.write(HttpClientSupport.series("up",
                    HttpClientSupport.labels("job", "door"), System.currentTimeMillis() - 60_000, 1))).statusCode());
            assertOk(karaf.client("banyan:status"), "Ready");
        }
    }

    /** Polls {@code reached} (an I/O error counts as not yet) every 200 ms for {@link #WAIT}. */
    /**
     * Editing {@code etc/dev.banyan.promql.cfg} (a new query timeout) applies the value in place: the
     * query API keeps answering throughout, never 404 (Pax Web re-registering the servlet).
     */
    @Test
    public void c1_r11_editingThePromQLConfigurationKeepsTheQueryApiAnswering() throws Exception {
        HttpClientSupport http = admin();
        List<String> wrong = new ArrayList<>();
        int answered = 0;
        karaf.configure("dev.banyan.promql", "queryTimeoutMs", "60000");
        Await.until("Config Admin holds the new timeout", WAIT, () -> {
            try {
                return karaf.client("config:property-get --pid dev.banyan.promql queryTimeoutMs").output().contains("60000");
            } catch (Exception e) {
                return false;
            }
        });
        // The window seen before lasted about 5 s: keep asking well past it.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < until) {
            HttpResponse<String> answer = http.get("/api/v1/query?query=up");
            answered++;
            boolean retryable = answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isPresent();
            if (answer.statusCode() != 200 && !retryable) {
                wrong.add(answer.statusCode() + " " + answer.body());
            }
            Thread.sleep(10);
        }
        assertTrue("answers after the edit: " + answered, answered > 50);
        assertEquals("every query answered 200 (or 503 with Retry-After), never 404", List.of(), wrong);
        assertEquals(200, http.get("/-/ready").statusCode());
    }

    private static void poll(String what, java.util.concurrent.Callable<Boolean> reached) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (reached.call()) {
                    return;
                }
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + WAIT + " waiting for: " + what + " (last error: " + last + ")\n"
                + karaf.output());
    }

    private static void assertOk(KarafInstance.Result result, String expected) {
        assertEquals(result.output(), 0, result.status());
        assertTrue(result.output(), result.output().contains(expected));
    }
}
