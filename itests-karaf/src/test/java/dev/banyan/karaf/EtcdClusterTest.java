package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.testsupport.EtcdServer;

/**
 * Two real Banyan assemblies ({@code bin/karaf run}, each with its own data, ports and node id)
 * sharing one real etcd 3.4 started by the test: the schema made on one server is the other's, the
 * node registry lists both, and the error contract holds across the network, down to the exit
 * status of both processes.
 */
public class EtcdClusterTest {

    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern CONSOLE_TIME = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3})");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private KarafInstance server(EtcdServer etcd, String node, int deadlineSeconds) throws Exception {
        KarafInstance karaf = KarafInstance.create(tmp.newFolder(node).toPath());
        Files.writeString(karaf.home().resolve("etc/dev.banyan.schema.registry.cfg"), "backend = etcd\n"
                + "etcdEndpoints = " + etcd.endpoint() + "\n"
                + "etcdDeadlineSeconds = " + deadlineSeconds + "\n"
                + "nodeId = " + node + "\n"
                + "nodeAddress = 127.0.0.1:" + node + "\n"
                + "nodeLeaseTtlSeconds = 3\n");
        karaf.start();
        return karaf;
    }

    @Test
    public void twoServersShareOneSchemaAndKnowEachOther() throws Exception {
        try (EtcdServer etcd = EtcdServer.start(tmp.newFolder("etcd").toPath());
                KarafInstance a = server(etcd, "a", 60);
                KarafInstance b = server(etcd, "b", 60)) {
            a.awaitServing(BOOT);
            b.awaitServing(BOOT);
            a.awaitOutput("banyan:cluster", WAIT, r -> r.status() == 0 && r.output().contains("* a") && r.output().contains("  b")
                    && !r.output().contains(" no "));

            // Created on A, visible on B: B can write to it and query it at once.
            assertOk(a.client("banyan:group-create --shards 1 --interval 1d --ttl 7d sw"), "Created group sw");
            assertOk(a.client("banyan:measure-create --tag host:STRING --field value:DOUBLE --entity host sw cpu"), "Created measure sw/cpu");
            String committed = a.awaitLine("measure sw/cpu changed in etcd at revision", WAIT);
            String applied = b.awaitLine("Schema change from etcd at revision", "ADD measure sw/cpu", WAIT);
            long propagation = millisBetween(committed, applied);
            System.out.printf("etcd registry: measure created on A applied on B %d ms after A's commit%n", propagation);
            // The bound, two orders of magnitude above what a watch takes.
            assertTrue("propagation " + propagation + " ms", propagation < 1000);
            assertOk(b.client("banyan:measure-list sw"), "cpu");
            // Now (the default time): inside the group's 7-day TTL and the write window [S13a]; the query's default is the last hour.
            assertOk(b.client("banyan:write --tags host=h1 --fields value=4.5 sw cpu"), "Wrote 1 point");
            assertOk(b.client("banyan:query sw cpu"), "4.5");
            b.awaitOutput("banyan:cluster", WAIT, r -> r.output().matches("(?s).*\\* b .*sw.*"));

            // Both create the same group at once: one wins, the other is told it exists.
            CompletableFuture<KarafInstance.Result> onA = CompletableFuture.supplyAsync(() -> client(a, "banyan:group-create race"));
            CompletableFuture<KarafInstance.Result> onB = CompletableFuture.supplyAsync(() -> client(b, "banyan:group-create race"));
            List<KarafInstance.Result> outcomes = List.of(onA.get(), onB.get());
            assertEquals(outcomes.toString(), 1, outcomes.stream().filter(r -> r.status() == 0 && r.output().contains("Created group race")).count());
            assertEquals(outcomes.toString(), 1, outcomes.stream().filter(r -> r.status() != 0
                    && r.output().contains("group race already exists")).count());

            // Deleted on B, gone on A.
            assertOk(b.client("banyan:group-delete race"), "Deleted group race");
            a.awaitLine("Schema change from etcd at revision", "DELETE group race", WAIT);
            KarafInstance.Result groups = a.client("banyan:group-list");
            assertTrue(groups.output(), groups.output().contains("sw") && !groups.output().contains("race"));

            // B killed: its node entry goes when its lease (3 s) expires.
            long killed = System.nanoTime();
            b.kill();
            a.awaitOutput("banyan:cluster", WAIT, r -> r.status() == 0 && r.output().contains("* a") && !r.output().contains("  b"));
            System.out.printf("etcd node registry: SIGKILLed server gone from banyan:cluster after %.1f s (lease TTL 3 s)%n",
                    (System.nanoTime() - killed) / 1e9);
            assertEquals(0, a.shutdown(WAIT));
            assertTrue("a clean stop leaves the registry", etcd.etcdctl("get", "--prefix", "/banyan/nodes/", "--keys-only").isBlank());
        }
    }

    @Test
    public void etcdOutagesShorterThanTheDeadlineHealAndALongerOneStopsEveryServer() throws Exception {
        int deadline = 20;
        try (EtcdServer etcd = EtcdServer.start(tmp.newFolder("etcd").toPath());
                KarafInstance a = server(etcd, "a", deadline);
                KarafInstance b = server(etcd, "b", deadline)) {
            a.awaitServing(BOOT);
            b.awaitServing(BOOT);
            assertOk(a.client("banyan:group-create --shards 1 sw"), "Created group sw");
            b.awaitLine("Schema change from etcd at revision", "ADD group sw", WAIT);
            a.awaitHttpReady(WAIT);
            HttpClientSupport http = new HttpClientSupport("http://127.0.0.1:" + a.httpPort()).basic("banyan", a.password());
            long now = System.currentTimeMillis();

            int[] marks = {a.lines(), b.lines()};
            etcd.stop();
            for (KarafInstance server : List.of(a, b)) {
                // Not ready while the schema may be stale: banyan:status says so and fails.
                server.awaitOutput("banyan:status", WAIT, r -> r.status() != 0 && r.output().contains("STALE"));
            }
            // A write that needs a schema change the registry cannot make now is 503 (retryable), never 500:
            // a new group (remote write) and a new measure in an existing group (line protocol).
            HttpResponse<String> newGroup = http.remoteWrite("?group=newgrp", HttpClientSupport.write(
                    HttpClientSupport.series("outage_probe", HttpClientSupport.labels("a", "b"), now, 1)));
            assertEquals(newGroup.body(), 503, newGroup.statusCode());
            assertTrue(newGroup.body(), newGroup.body().contains("group newgrp was not created") && newGroup.body().contains("retry"));
            HttpResponse<String> newMeasure = http.lineProtocol("/write?db=sw&precision=ms", "outage_probe v=1 " + now);
            assertEquals(newMeasure.body(), 503, newMeasure.statusCode());
            assertTrue(newMeasure.body(), newMeasure.body().contains("measure sw/outage_probe") && newMeasure.body().contains("retry"));
            LocalTime restarted = LocalTime.now();
            etcd.start();
            System.out.printf("etcd registry: etcd answered %d ms after its restart%n", restarted.until(LocalTime.now(), ChronoUnit.MILLIS));
            // A change made while the servers are still reconnecting, by another etcd client.
            etcd.etcdctl("put", "/banyan/schema/measures/sw/mem", "{\"group\":\"sw\",\"name\":\"mem\","
                    + "\"tags\":[{\"name\":\"host\",\"type\":\"STRING\"}],\"fields\":[{\"name\":\"used\",\"type\":\"LONG\"}],\"entity\":[\"host\"]}");
            for (KarafInstance server : List.of(a, b)) {
                String recovered = server.awaitLine(marks[server == a ? 0 : 1], WAIT, "reachable again after");
                System.out.printf("etcd registry: server %s current again %d ms after etcd was restarted (%s)%n",
                        server == a ? "A" : "B", millisBetween(restarted, recovered), recovered.replaceAll(".*reachable again", "reachable again"));
                server.awaitLine("Schema change from etcd at revision", "ADD measure sw/mem", WAIT);
                server.awaitAnswer("banyan:status", WAIT);
                assertOk(server.client("banyan:measure-list sw"), "mem");
            }
            assertOk(b.client("banyan:write --tags host=h1 --fields used=7 sw mem"), "Wrote 1 point");

            // Longer than the deadline: both stop, each with one FATAL line naming the endpoint.
            etcd.stop();
            long stopped = System.nanoTime();
            for (KarafInstance server : List.of(a, b)) {
                int status = server.awaitExit(Duration.ofSeconds(deadline + 60));
                System.out.printf("etcd registry: server exited %.1f s after etcd stopped (deadline %d s)%n",
                        (System.nanoTime() - stopped) / 1e9, deadline);
                assertNotEquals("exit status; output:\n" + server.output(), 0, status);
                List<String> fatal = server.fatalLines();
                assertEquals(server.output(), 1, fatal.size());
                assertTrue(fatal.get(0), fatal.get(0).contains("schema registry on etcd " + etcd.endpoint())
                        && fatal.get(0).contains("etcd unreachable for") && fatal.get(0).contains("(deadline " + deadline + " s)"));
                assertEquals("every lock released", List.of(), server.lockFiles());
            }
        }
    }

    private static KarafInstance.Result client(KarafInstance karaf, String command) {
        try {
            return karaf.client(command);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long millisBetween(String earlierLine, String laterLine) {
        return consoleTime(earlierLine).until(consoleTime(laterLine), ChronoUnit.MILLIS);
    }

    private static long millisBetween(LocalTime earlier, String laterLine) {
        return earlier.until(consoleTime(laterLine), ChronoUnit.MILLIS);
    }

    /** The time stamp Karaf's console log puts first on each line. */
    private static LocalTime consoleTime(String line) {
        Matcher matcher = CONSOLE_TIME.matcher(line);
        assertTrue("no time stamp in: " + line, matcher.find());
        return LocalTime.parse(matcher.group(1));
    }

    private static void assertOk(KarafInstance.Result result, String expected) {
        assertEquals(result.output(), 0, result.status());
        assertTrue("'" + expected + "' in: " + result.output(), result.output().contains(expected));
    }
}
