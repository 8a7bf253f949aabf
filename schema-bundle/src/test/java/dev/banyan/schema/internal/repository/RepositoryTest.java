package dev.banyan.schema.internal.repository;

import static dev.banyan.schema.SchemaFixture.cpu;
import static dev.banyan.schema.SchemaFixture.group;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.RepositoryCounters;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.internal.registry.EmbeddedRegistry;
import dev.banyan.schema.internal.registry.FakeClock;
import dev.banyan.testsupport.Await;

/** [R5]-[R8][R10] Group initialisation, boot, event processing and retries. */
public class RepositoryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Records instead of exiting. */
    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final ScriptedSupplier supplier = new ScriptedSupplier();
    private EmbeddedRegistry registry;
    private Repository repository;

    private Repository start(ScriptedSupplier withSupplier) {
        return start(withSupplier, new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(40)));
    }

    private Repository start(ScriptedSupplier withSupplier, RetryPolicy policy) {
        registry = new EmbeddedRegistry(tmp.getRoot().toPath(), new FakeClock(), EmbeddedRegistry.DEFAULT_ONINIT_TIMEOUT);
        repository = new Repository(registry, withSupplier, (context, cause) -> fatal.add(context + " | " + cause.getMessage()),
                policy);
        return repository;
    }

    @After
    public void stop() {
        if (repository != null) {
            repository.close();
        }
    }

    @Test
    public void r5_failedOpenLeavesTheGroupUninitialisedAndTheNextInitOpensIt() throws Exception {
        start(supplier.failWith(new IOException("disk not mounted")));
        Group g1 = group("g1");
        try {
            repository.initGroup(g1);
            fail("first open fails");
        } catch (IOException expected) {
            // transient
        }
        assertEquals(List.of(new GroupStatus("g1", GroupStatus.State.FAILED, "disk not mounted", 0)), repository.status());
        assertTrue("no database for a failed group", repository.database("g1").isEmpty());
        repository.initGroup(g1);
        assertEquals("two calls in total", 2, supplier.calls.get());
        assertEquals(GroupStatus.State.SERVING, repository.status().get(0).state());
    }

    @Test
    public void r5_initialisedGroupIsNotReopened() throws Exception {
        start(supplier);
        repository.initGroup(group("g1"));
        repository.initGroup(group("g1"));
        assertEquals(1, supplier.calls.get());
        Group changed = new Group("g1", group("g1").catalog(), new ResourceOpts(3, IntervalRule.days(1), IntervalRule.days(9)), 0, 0);
        repository.initGroup(changed);
        assertEquals("a changed definition is applied, not reopened", 1, supplier.calls.get());
        assertEquals(List.of(changed), supplier.updates);
    }

    @Test
    public void r5_portableGroupOnlyCachesItsSchema() throws Exception {
        start(null);
        repository.initGroup(group("g1"));
        assertEquals(List.of(new GroupStatus("g1", GroupStatus.State.PORTABLE, null, 0)), repository.status());
        assertTrue(repository.database("g1").isEmpty());
    }

    @Test
    public void r6_bootAbortsOnTheFirstFailingGroupWithTheCauseIntact() {
        start(supplier);
        registry.createGroup(group("g1"));
        registry.createGroup(group("g2"));
        registry.createGroup(group("g3"));
        supplier.calls.set(0);
        ScriptedSupplier failingSecond = new ScriptedSupplier();
        Repository booting = new Repository(registry, new ScriptedSupplierChain(supplier, failingSecond), (c, e) -> fatal.add(c), RetryPolicy.defaults());
        IOException sentinel = new IOException("incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0");
        failingSecond.failWith(PermanentErrors.asPermanent(sentinel));
        try {
            registry.registerHandler("repo", EnumSet.allOf(Kind.class), booting);
            fail("boot must abort");
        } catch (SchemaException e) {
            assertEquals("OnInit repo: fails to init the group g2: incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0",
                    e.getMessage());
            assertTrue(PermanentErrors.isPermanent(e));
            assertSame("cause chain intact", sentinel, PermanentErrors.find(e, IOException.class).orElseThrow());
        } finally {
            booting.close();
        }
        assertEquals("g3 was never attempted", List.of("g1", "g2"), ScriptedSupplierChain.opened);
    }

    /**
     * [R11] A measure whose stored points no write could match (an offline edit of its field types,
     * a measure re-created over kept points elsewhere) stops boot at once, naming the measure and the
     * field, instead of serving a measure every write of which storage would refuse.
     */
    @Test
    public void r11_aMeasureTheStoredPointsContradictStopsBootPermanently() {
        start(supplier);
        registry.createGroup(group("g1"));
        registry.createMeasure(cpu("g1"));
        String problem = "group g1: measure cpu has fields [value:LONG]; a definition with fields [value:DOUBLE] has field value as "
                + "DOUBLE: a field's type cannot change";
        supplier.refuseMeasure("cpu", problem);
        try {
            registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
            fail("boot must abort");
        } catch (SchemaException e) {
            assertEquals("OnInit repo: fails to init the measure g1/cpu: measure g1/cpu: field 'fields': " + problem, e.getMessage());
            assertTrue("no retry can change what is stored", PermanentErrors.isPermanent(e));
        }
        assertTrue("not served", repository.measure("g1", "cpu").isEmpty());
    }

    @Test
    public void r7_permanentFailureOnTheSynchronousPathFailsFast() {
        start(supplier);
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        supplier.failWith(PermanentErrors.asPermanent(new IOException("incompatible version 1.3.0")));
        registry.createGroup(group("g1"));
        assertEquals(List.of("group g1: processing ADD | incompatible version 1.3.0"), fatal);
        assertEquals(new RepositoryCounters(1, 0, 0), repository.counters());
    }

    @Test
    public void r8_transientFailureIsRetriedWithBackoffUntilTheSupplierRecovers() throws Exception {
        start(supplier);
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        supplier.failWith(new IOException("busy"), new IOException("busy"), new IOException("busy"));
        registry.createGroup(group("g1"));
        registry.createMeasure(cpu("g1"));
        Await.until("g1 serving", Duration.ofSeconds(10), () -> repository.status().stream()
                .anyMatch(s -> s.group().equals("g1") && s.state() == GroupStatus.State.SERVING && s.measures() == 1));
        assertEquals(List.of(), fatal);
        // A worker counts an error, then its retry: wait for both rather than read between the two.
        Await.until("three failures counted and retried", Duration.ofSeconds(10), () -> {
            RepositoryCounters counters = repository.counters();
            return counters.errors() >= 3 && counters.retries() >= 3;
        });
        assertTrue(repository.measure("g1", "cpu").isPresent());
    }

    @Test
    public void r8_permanentFailureInARetryWorkerFailsFast() throws Exception {
        start(supplier);
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        supplier.failWith(new IOException("busy"), PermanentErrors.asPermanent(new IOException("incompatible version 1.3.0")));
        registry.createGroup(group("g1"));
        Await.until("fail-fast", Duration.ofSeconds(10), () -> !fatal.isEmpty());
        assertEquals(List.of("group g1: processing ADD | incompatible version 1.3.0"), fatal);
    }

    @Test
    public void r8_workerSurvivesAnUnexpectedThrowable() throws Exception {
        start(supplier);
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        supplier.failWith(new IOException("busy"), new AssertionError("bug in a supplier"), new IOException("busy"));
        registry.createGroup(group("g1"));
        Await.until("g1 serving", Duration.ofSeconds(10), () -> repository.database("g1").isPresent());
        assertEquals(1, repository.counters().panics());
        assertEquals(List.of(), fatal);
    }

    @Test
    public void closedRepositoryOpensNoMoreDatabases() throws Exception {
        start(supplier);
        repository.initGroup(group("g1"));
        repository.close();
        assertEquals("closing closed the open database", 1, supplier.closes.get());
        try {
            repository.initGroup(group("g2"));
            fail("a boot outliving deactivation must not open databases");
        } catch (SchemaException expected) {
            // refused
        }
        assertEquals(1, supplier.calls.get());
        repository = null;
    }

    @Test
    public void r8_staleRetryDoesNotResurrectADeletedGroup() throws Exception {
        // The retry must come after the delete (an fsync'd file write): a 5 ms first delay lost that race on a loaded machine.
        start(supplier, new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(2)));
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        supplier.failWith(new IOException("busy"));
        registry.createGroup(group("g1"));
        registry.deleteGroup("g1");
        Await.until("retry drained", Duration.ofSeconds(10), () -> repository.getQueuedRetries() == 0);
        assertEquals(List.of(), repository.status());
        assertEquals("only the failed first open", 1, supplier.calls.get());
    }
}
