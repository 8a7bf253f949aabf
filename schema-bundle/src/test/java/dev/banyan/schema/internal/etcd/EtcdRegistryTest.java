package dev.banyan.schema.internal.etcd;

import static dev.banyan.schema.SchemaFixture.cpu;
import static dev.banyan.schema.SchemaFixture.group;
import static dev.banyan.schema.SchemaFixture.measure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.ClusterNode;
import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.RevisionConflictException;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.testsupport.Await;
import dev.banyan.testsupport.EtcdServer;
import dev.banyan.testsupport.TcpProxy;

/**
 * [R2]-[R9] The etcd backend against a real etcd 3.4 (one per class, each test under its own key
 * prefix): several registries play several servers; a {@link TcpProxy} in front of one of them
 * plays a network partition.
 */
public class EtcdRegistryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();
    private static EtcdServer etcd;

    private final String prefix = "/test" + PREFIXES.incrementAndGet();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeClass
    public static void startEtcd() throws Exception {
        etcd = EtcdServer.start(tmp.newFolder("etcd").toPath());
    }

    @AfterClass
    public static void stopEtcd() throws Exception {
        etcd.close();
    }

    @After
    public void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** A fail-fast that records instead of exiting. */
    static final class RecordingFailFast implements FailFast {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Throwable> causes = new CopyOnWriteArrayList<>();

        @Override
        public void fail(String context, Throwable cause) {
            lines.add(context + ": " + cause.getMessage());
            causes.add(cause);
        }
    }

    /** Records every event it receives. */
    static final class Recorder implements SchemaEventHandler {
        final List<SchemaEvent> events = new CopyOnWriteArrayList<>();
        final Map<String, Long> seenAt = new ConcurrentHashMap<>();

        @Override
        public void onEvent(SchemaEvent event) {
            events.add(event);
            seenAt.put(event.type() + " " + event.object().describe(), System.nanoTime());
        }

        List<String> described() {
            return events.stream().map(e -> e.type() + " " + e.object().describe()).toList();
        }
    }

    private EtcdBackend server(String endpoint, String node, Duration deadline, FailFast failFast) {
        EtcdBackend backend = new EtcdBackend(new EtcdBackend.Settings(List.of(URI.create(endpoint)), prefix, deadline,
                Duration.ofSeconds(5), node, "127.0.0.1:" + node.hashCode(), Duration.ofSeconds(3)), failFast,
                state -> new NodeReport(List.of("g"), state.current()));
        closing.add(backend);
        return backend;
    }

    private EtcdBackend server(String node) {
        return server(etcd.endpoint(), node, Duration.ofSeconds(60), new RecordingFailFast());
    }

    private static Recorder listen(SchemaRegistry registry) {
        Recorder recorder = new Recorder();
        registry.registerHandler("recorder", EnumSet.allOf(Kind.class), recorder);
        return recorder;
    }

    private TcpProxy proxy() throws Exception {
        TcpProxy proxy = TcpProxy.to(URI.create(etcd.endpoint()).getPort());
        closing.add(proxy);
        return proxy;
    }

    @Test
    public void r2_revisionsAreEtcdsCreateAndModRevisions() throws Exception {
        SchemaRegistry registry = server("a").registry();
        listen(registry);
        Group created = registry.createGroup(group("sw"));
        String stored = etcd.etcdctl("get", prefix + "/schema/groups/sw", "-w", "json");
        assertEquals(stored, created.createRevision(), jsonNumber(stored, "create_revision"));
        assertEquals(created.createRevision(), created.modRevision());
        Group updated = registry.updateGroup(Group.of("sw", created.catalog(), new dev.banyan.schema.api.ResourceOpts(4,
                created.resourceOpts().segmentInterval(), created.resourceOpts().ttl())));
        String after = etcd.etcdctl("get", prefix + "/schema/groups/sw", "-w", "json");
        assertEquals(created.createRevision(), updated.createRevision());
        assertEquals(after, jsonNumber(after, "mod_revision"), updated.modRevision());
        assertTrue(updated.modRevision() > created.modRevision());
        // The copy this server reads from is the one the watch delivered, with etcd's revisions.
        assertEquals(updated, registry.getGroup("sw").orElseThrow());
        assertTrue(registry.revision() >= updated.modRevision());
        assertTrue(registry.state().current());
    }

    private static long jsonNumber(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        assertTrue(json, matcher.find());
        return Long.parseLong(matcher.group(1));
    }

    @Test
    public void r2_aChangeOnOneServerReachesTheHandlersOfEveryOther() throws Exception {
        SchemaRegistry a = server("a").registry();
        SchemaRegistry b = server("b").registry();
        Recorder onA = listen(a);
        Recorder onB = listen(b);
        long start = System.nanoTime();
        a.createGroup(group("sw"));
        Measure measure = a.createMeasure(cpu("sw"));
        Await.until("B sees the measure created on A", WAIT, () -> onB.seenAt.containsKey("ADD measure sw/cpu"));
        System.out.printf("etcd registry propagation A -> B (group + measure): %.1f ms%n",
                (onB.seenAt.get("ADD measure sw/cpu") - start) / 1e6);
        assertEquals(List.of("ADD group sw", "ADD measure sw/cpu"), onB.described());
        assertEquals(measure, b.getMeasure("sw", "cpu").orElseThrow());

        assertTrue(b.deleteMeasure("sw", "cpu"));
        assertTrue(b.deleteGroup("sw"));
        Await.until("A sees the deletes made on B", WAIT, () -> onA.events.size() == 4);
        assertEquals(List.of("ADD group sw", "ADD measure sw/cpu", "DELETE measure sw/cpu", "DELETE group sw"), onA.described());
        assertTrue(a.getGroup("sw").isEmpty());
        assertFalse("deleting what is gone says so", a.deleteMeasure("sw", "cpu"));
    }

    /** Many new measures in few transactions (one per 64), each reaching every server; existing ones left as they are. */
    @Test
    public void r2_createMeasuresIfAbsentUsesOneTransactionPer64Measures() throws Exception {
        SchemaRegistry a = server("a").registry();
        SchemaRegistry b = server("b").registry();
        Recorder onB = listen(b);
        a.createGroup(group("sw"));
        Measure existing = a.createMeasure(measure("sw", "m0"));
        List<Measure> wanted = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            wanted.add(measure("sw", "m" + i));
        }
        List<Measure> created = a.createMeasuresIfAbsent(wanted);
        assertEquals(149, created.size());
        assertEquals("three transactions", 3, created.stream().mapToLong(Measure::createRevision).distinct().count());
        assertEquals(existing, a.getMeasure("sw", "m0").orElseThrow());
        Await.until("B has every measure", WAIT, () -> b.listMeasures("sw").size() == 150);
        assertEquals(created.get(148), b.getMeasure("sw", "m149").orElseThrow());
        assertEquals(151, onB.events.size());
        assertEquals(List.of(), a.createMeasuresIfAbsent(wanted));
        SchemaException noGroup = assertThrows(SchemaException.class,
                () -> a.createMeasuresIfAbsent(List.of(measure("nosuch", "x"))));
        assertEquals("measure nosuch/x: group nosuch does not exist", noGroup.getMessage());
    }

    @Test
    public void r2_concurrentCreatesOfOneObjectHaveExactlyOneWinner() throws Exception {
        List<SchemaRegistry> servers = List.of(server("a").registry(), server("b").registry(), server("c").registry());
        servers.forEach(EtcdRegistryTest::listen);
        int names = 20;
        ExecutorService pool = Executors.newFixedThreadPool(servers.size() * 2);
        try {
            Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
            List<String> refusals = new CopyOnWriteArrayList<>();
            for (int n = 0; n < names; n++) {
                String name = "g" + n;
                CyclicBarrier together = new CyclicBarrier(servers.size() * 2);
                List<Future<?>> attempts = new ArrayList<>();
                for (int i = 0; i < servers.size() * 2; i++) {
                    SchemaRegistry registry = servers.get(i % servers.size());
                    attempts.add(pool.submit(() -> {
                        together.await(30, TimeUnit.SECONDS);
                        try {
                            registry.createGroup(group(name));
                            winners.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                        } catch (SchemaException e) {
                            refusals.add(e.getMessage());
                        }
                        return null;
                    }));
                }
                for (Future<?> attempt : attempts) {
                    attempt.get(60, TimeUnit.SECONDS);
                }
                assertEquals("winners for " + name, 1, winners.get(name).get());
            }
            assertEquals(names * (servers.size() * 2 - 1), refusals.size());
            assertTrue(refusals.toString(), refusals.stream().allMatch(m -> m.matches("group g\\d+ already exists")));
            // The same race for a measure: one winner, the others told it exists.
            AtomicInteger measureWinners = new AtomicInteger();
            CyclicBarrier together = new CyclicBarrier(servers.size());
            List<Future<String>> attempts = new ArrayList<>();
            for (SchemaRegistry registry : servers) {
                attempts.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    try {
                        registry.createMeasure(cpu("g0"));
                        measureWinners.incrementAndGet();
                        return "created";
                    } catch (SchemaException e) {
                        return e.getMessage();
                    }
                }));
            }
            List<String> outcomes = new ArrayList<>();
            for (Future<String> attempt : attempts) {
                outcomes.add(attempt.get(60, TimeUnit.SECONDS));
            }
            assertEquals(outcomes.toString(), 1, measureWinners.get());
            assertEquals(outcomes.toString(), servers.size() - 1, outcomes.stream().filter("measure g0/cpu already exists"::equals).count());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writers on several servers adding tags with revision-checked updates: each re-reads on a
     * conflict, none is lost. A conflict means another writer's change, which the conflicting server
     * has applied by the time it answers: the re-read sees it, so a writer needs at most one attempt
     * per writer, however late the watch delivers.
     */
    @Test
    public void r2_revisionCheckedUpdatesOnSeveralServersLoseNoChange() throws Exception {
        List<SchemaRegistry> servers = List.of(server("a").registry(), server("b").registry(), server("c").registry());
        servers.forEach(EtcdRegistryTest::listen);
        servers.get(0).createGroup(group("rc"));
        Measure created = servers.get(0).createMeasure(cpu("rc"));
        RevisionConflictException stale = assertThrows(RevisionConflictException.class,
                () -> servers.get(1).updateMeasure(cpu("rc"), created.modRevision() - 1));
        assertTrue(stale.getMessage(), stale.getMessage().startsWith("measure rc/cpu is at another revision"));
        // Each writer reads the measure from its own server first: wait until the watch has brought it to all of them.
        assertTrue("every server sees the measure", waitFor(() -> servers.stream().allMatch(r -> r.getMeasure("rc", "cpu").isPresent())));
        int writers = 12;
        AtomicInteger conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CyclicBarrier together = new CyclicBarrier(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                SchemaRegistry registry = servers.get(w % servers.size());
                String tag = "t" + w;
                done.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    for (int attempt = 0; attempt < writers; attempt++) {
                        Measure read = registry.getMeasure("rc", "cpu").orElseThrow();
                        List<TagSpec> tags = new ArrayList<>(read.tags());
                        tags.add(new TagSpec(tag, TagSpec.TagType.STRING));
                        try {
                            registry.updateMeasure(new Measure("rc", "cpu", tags, read.fields(), read.entity(), 0, 0), read.modRevision());
                            return null;
                        } catch (RevisionConflictException e) {
                            conflicts.incrementAndGet();
                        }
                    }
                    throw new AssertionError(tag + " not applied in " + writers + " attempts: a conflict came without "
                            + "another writer's change to re-read");
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        SchemaRegistry reader = servers.get(0);
        assertTrue("every server sees every tag", waitFor(() -> servers.stream().allMatch(r -> r.getMeasure("rc", "cpu").orElseThrow()
                .tags().size() == cpu("rc").tags().size() + writers)));
        List<String> names = reader.getMeasure("rc", "cpu").orElseThrow().tags().stream().map(TagSpec::name).toList();
        for (int w = 0; w < writers; w++) {
            assertTrue(names.toString(), names.contains("t" + w));
        }
        System.out.printf("%d writers on 3 servers: %d conflicts%n", writers, conflicts.get());
    }

    /**
     * [R11] The revision-checked update refuses what stored data cannot honour, as the plain update
     * does, and stores nothing: a field's type, the entity.
     */
    @Test
    public void r11_revisionCheckedUpdateRefusesChangesStorageCannotHonour() {
        SchemaRegistry registry = server("a").registry();
        listen(registry);
        registry.createGroup(group("ev"));
        Measure created = registry.createMeasure(cpu("ev"));
        Measure retyped = new Measure("ev", "cpu", created.tags(), List.of(new FieldSpec("value", FieldSpec.FieldType.LONG)),
                created.entity(), 0, 0);
        SchemaException type = assertThrows(SchemaException.class, () -> registry.updateMeasure(retyped, created.modRevision()));
        assertEquals("measure ev/cpu: field 'fields': 'value' cannot change type from DOUBLE to LONG", type.getMessage());
        Measure rekeyed = new Measure("ev", "cpu", created.tags(), created.fields(), List.of("region"), 0, 0);
        SchemaException entity = assertThrows(SchemaException.class, () -> registry.updateMeasure(rekeyed, created.modRevision()));
        assertTrue(entity.getMessage(), entity.getMessage().startsWith("measure ev/cpu: field 'entity': cannot change from [host] to [region]"));
        assertEquals(created.modRevision(), registry.getMeasure("ev", "cpu").orElseThrow().modRevision());
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    @Test
    public void r2_aMeasureNeedsItsGroupAndAGroupIsDeletedOnlyWithoutMeasures() {
        SchemaRegistry registry = server("a").registry();
        listen(registry);
        SchemaException orphan = assertThrows(SchemaException.class, () -> registry.createMeasure(cpu("nowhere")));
        assertEquals("measure nowhere/cpu: group nowhere does not exist", orphan.getMessage());
        registry.createGroup(group("sw"));
        registry.createMeasure(cpu("sw"));
        SchemaException owned = assertThrows(SchemaException.class, () -> registry.deleteGroup("sw"));
        assertEquals("group sw still has measures [cpu]: delete them first", owned.getMessage());
        assertTrue(registry.getGroup("sw").isPresent());
        assertThrows(SchemaException.class, () -> registry.createGroup(group("sw")));
        SchemaException missing = assertThrows(SchemaException.class, () -> registry.updateGroup(group("other")));
        assertEquals("group other does not exist", missing.getMessage());
        Measure wider = new Measure("sw", "cpu", cpu("sw").tags(), List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE),
                new FieldSpec("extra", FieldSpec.FieldType.DOUBLE)), cpu("sw").entity(), 0, 0);
        assertEquals(wider.fields(), registry.updateMeasure(wider).fields());
        assertEquals(wider.fields(), registry.getMeasure("sw", "cpu").orElseThrow().fields());
    }

    @Test
    public void r8_aPartitionShorterThanTheDeadlineLosesNoChange() throws Exception {
        TcpProxy link = proxy();
        SchemaRegistry cutOff = server("http://127.0.0.1:" + link.port(), "a", Duration.ofSeconds(60), new RecordingFailFast()).registry();
        SchemaRegistry other = server("b").registry();
        Recorder onCutOff = listen(cutOff);
        Recorder onOther = listen(other);
        other.createGroup(group("before"));
        Await.until("both see the first group", WAIT, () -> onCutOff.events.size() == 1);

        link.cut();
        Await.until("the cut-off server says its schema may be stale", WAIT, () -> !cutOff.state().current());
        assertTrue(cutOff.state().detail(), cutOff.state().detail().contains("etcd unreachable since"));
        changesMadeMeanwhile(other);
        assertEquals(1, onCutOff.events.size());

        link.restore();
        Await.until("the cut-off server catches up", WAIT, () -> onCutOff.events.size() == onOther.events.size());
        assertEquals("every change, in order", onOther.described(), onCutOff.described());
        Await.until("current again", WAIT, () -> cutOff.state().current());
        assertEquals(other.listGroups(), cutOff.listGroups());
        assertEquals(other.listMeasures("during"), cutOff.listMeasures("during"));
    }

    /** Creates, updates and deletes while another server is cut off. */
    private static void changesMadeMeanwhile(SchemaRegistry registry) {
        registry.createGroup(group("during"));
        registry.createMeasure(cpu("during"));
        registry.updateGroup(Group.of("during", group("during").catalog(), new dev.banyan.schema.api.ResourceOpts(3,
                group("during").resourceOpts().segmentInterval(), group("during").resourceOpts().ttl())));
        registry.createGroup(group("brief"));
        registry.deleteGroup("brief");
        registry.deleteGroup("before");
    }

    @Test
    public void r8_aCompactionDuringAPartitionIsMetByReadingTheSchemaAfresh() throws Exception {
        TcpProxy link = proxy();
        SchemaRegistry cutOff = server("http://127.0.0.1:" + link.port(), "a", Duration.ofSeconds(60), new RecordingFailFast()).registry();
        SchemaRegistry other = server("b").registry();
        Recorder onCutOff = listen(cutOff);
        listen(other);
        other.createGroup(group("before"));
        other.createGroup(group("kept"));
        Await.until("both see the first groups", WAIT, () -> onCutOff.events.size() == 2);
        link.cut();
        Await.until("stale", WAIT, () -> !cutOff.state().current());
        changesMadeMeanwhile(other);
        // Compact etcd's history past every change made meanwhile: the watch cannot resume from it.
        etcd.etcdctl("compact", Long.toString(other.revision()));
        link.restore();
        Await.until("the cut-off server reads the schema afresh", WAIT,
                () -> cutOff.state().current() && cutOff.listGroups().equals(other.listGroups()));
        assertEquals(other.listMeasures("during"), cutOff.listMeasures("during"));
        // The handlers are told the difference: what went away, then what is new or changed.
        List<String> after = onCutOff.described().subList(2, onCutOff.events.size());
        assertEquals(List.of("DELETE group before", "ADD group during", "ADD measure during/cpu"), after);
    }

    @Test
    public void r9_aPartitionLongerThanTheDeadlineIsFatalNamingTheEndpoint() throws Exception {
        TcpProxy link = proxy();
        RecordingFailFast failFast = new RecordingFailFast();
        String endpoint = "http://127.0.0.1:" + link.port();
        SchemaRegistry cutOff = server(endpoint, "a", Duration.ofSeconds(2), failFast).registry();
        listen(cutOff);
        link.cut();
        Await.until("fail-fast after the deadline", WAIT, () -> !failFast.lines.isEmpty());
        Thread.sleep(500); // nothing more may be reported: one FATAL line
        assertEquals(failFast.lines.toString(), 1, failFast.lines.size());
        String line = failFast.lines.get(0);
        assertTrue(line, line.startsWith("schema registry on etcd " + endpoint + ": etcd unreachable for "));
        assertTrue(line, line.contains("(deadline 2 s): " + endpoint));
        assertFalse(cutOff.state().current());
    }

    @Test
    public void r9_etcdUnreachableAtBootIsFatalAfterTheDeadline() throws Exception {
        RecordingFailFast failFast = new RecordingFailFast();
        TcpProxy nowhere = proxy();
        nowhere.cut();
        String endpoint = "http://127.0.0.1:" + nowhere.port();
        SchemaRegistry registry = server(endpoint, "a", Duration.ofSeconds(2), failFast).registry();
        assertFalse(registry.state().current());
        assertThrows("reads refuse a schema never read", SchemaException.class, registry::listGroups);
        SchemaException boot = assertThrows(SchemaException.class, () -> listen(registry));
        assertTrue(boot.getMessage(), boot.getMessage().startsWith("the schema has not been read from etcd " + endpoint));
        assertEquals(failFast.lines.toString(), 1, failFast.lines.size());
        assertTrue(failFast.lines.get(0), failFast.lines.get(0).contains("etcd unreachable for"));
    }

    @Test
    public void r1_anInvalidObjectWrittenBehindTheServersBackIsPermanent() throws Exception {
        RecordingFailFast failFast = new RecordingFailFast();
        SchemaRegistry registry = server(etcd.endpoint(), "a", Duration.ofSeconds(60), failFast).registry();
        listen(registry);
        etcd.etcdctl("put", prefix + "/schema/groups/broken", "{\"name\":\"broken\",\"catalog\":\"MEASURE\"}");
        Await.until("fail-fast", WAIT, () -> !failFast.lines.isEmpty());
        assertTrue(PermanentErrors.isPermanent(failFast.causes.get(0)));
        assertTrue(failFast.lines.get(0), failFast.lines.get(0).contains("invalid schema object at etcd key " + prefix
                + "/schema/groups/broken"));
        assertTrue(failFast.lines.get(0), failFast.lines.get(0).contains("shardNum must be a number"));
    }

    @Test
    public void r1_anObjectStoredUnderAnotherObjectsKeyStopsBoot() throws Exception {
        etcd.etcdctl("put", prefix + "/schema/groups/one", "{\"name\":\"two\",\"catalog\":\"MEASURE\",\"shardNum\":1,"
                + "\"segmentInterval\":{\"unit\":\"DAY\",\"num\":1},\"ttl\":{\"unit\":\"DAY\",\"num\":7}}");
        RecordingFailFast failFast = new RecordingFailFast();
        SchemaRegistry registry = server(etcd.endpoint(), "a", Duration.ofSeconds(60), failFast).registry();
        assertThrows(SchemaException.class, () -> listen(registry));
        assertEquals(1, failFast.lines.size());
        assertTrue(PermanentErrors.isPermanent(failFast.causes.get(0)));
        assertTrue(failFast.lines.get(0), failFast.lines.get(0).contains("etcd key " + prefix + "/schema/groups/one")
                && failFast.lines.get(0).contains("holds group two, which belongs at " + prefix + "/schema/groups/two"));
    }

    @Test
    public void nodesRegisterWithWhatTheyServeAndLeaveAtOnceOnACleanStop() throws Exception {
        EtcdBackend a = server("a");
        EtcdBackend b = server("b");
        listen(a.registry());
        listen(b.registry());
        Await.until("both listed, ready", WAIT, () -> a.nodes().liveNodes().stream().filter(ClusterNode::ready).count() == 2);
        ClusterNode nodeB = a.nodes().liveNodes().get(1);
        assertEquals("b", nodeB.id());
        assertEquals(List.of("g"), nodeB.groups());
        assertEquals("127.0.0.1:" + "b".hashCode(), nodeB.address());
        assertEquals("b", b.nodes().selfId());
        b.close();
        assertEquals("a clean stop revokes the lease", List.of("a"), a.nodes().liveNodes().stream().map(ClusterNode::id).toList());
    }

    @Test
    public void aNodeCutOffLongerThanItsLeaseDisappearsAndRegistersAgainWhenBack() throws Exception {
        TcpProxy link = proxy();
        EtcdBackend a = server("a");
        EtcdBackend b = server("http://127.0.0.1:" + link.port(), "b", Duration.ofSeconds(60), new RecordingFailFast());
        Await.until("both listed", WAIT, () -> a.nodes().liveNodes().size() == 2);
        link.cut();
        long cut = System.nanoTime();
        Await.until("b's entry expires with its lease", WAIT, () -> a.nodes().liveNodes().size() == 1);
        System.out.printf("node entry gone %.1f s after the cut (lease TTL 3 s)%n", (System.nanoTime() - cut) / 1e9);
        assertThrows("b cannot list the nodes while cut off", SchemaException.class, () -> b.nodes().liveNodes());
        link.restore();
        Await.until("b registered again", WAIT, () -> a.nodes().liveNodes().size() == 2);
    }

    @Test
    public void aSecondServerWithTheSameNodeIdNeverTakesTheFirstOnesEntry() throws Exception {
        EtcdBackend first = server("x");
        Await.until("first listed", WAIT, () -> first.nodes().liveNodes().size() == 1);
        String address = first.nodes().liveNodes().get(0).address();
        EtcdBackend second = new EtcdBackend(new EtcdBackend.Settings(List.of(URI.create(etcd.endpoint())), prefix,
                Duration.ofSeconds(60), Duration.ofSeconds(5), "x", "elsewhere:1", Duration.ofSeconds(3)), new RecordingFailFast(),
                state -> new NodeReport(List.of(), false));
        closing.add(second);
        Await.until("the second says why it is not current", WAIT, () -> second.registry().state().detail()
                .contains("node id x is registered by another process (address " + address));
        assertEquals(address, first.nodes().liveNodes().get(0).address());
        assertFalse(second.registry().state().current());
    }
}
