package dev.banyan.schema.internal.repository;

import static dev.banyan.schema.SchemaFixture.group;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Readiness;
import dev.banyan.schema.internal.failfast.FailFastService;
import dev.banyan.schema.internal.registry.EmbeddedRegistry;
import dev.banyan.schema.internal.registry.FakeClock;
import dev.banyan.testsupport.Await;

/** [R11] Readiness is one truthful state: every group serving with its storage, and nothing else. */
public class ReadinessTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<String> fatal = new CopyOnWriteArrayList<>();
    private final FailFastService failFast = new FailFastService((line, cause) -> fatal.add(line));
    private final ScriptedSupplier supplier = new ScriptedSupplier();
    private EmbeddedRegistry registry;
    private Repository repository;

    private void start(ScriptedSupplier withSupplier) {
        registry = new EmbeddedRegistry(tmp.getRoot().toPath(), new FakeClock(), EmbeddedRegistry.DEFAULT_ONINIT_TIMEOUT);
        repository = new Repository(registry, withSupplier, failFast, new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(40)));
    }

    @After
    public void stop() {
        repository.close();
    }

    @Test
    public void r11_readyOnlyOnceBootedAndWhileEveryGroupServes() throws Exception {
        start(supplier);
        registry.createGroup(group("g1"));
        assertEquals(new Readiness(false, "booting"), repository.readiness());
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        assertEquals(new Readiness(true, "serving 1 group(s)"), repository.readiness());
        // A transient failure: the group is retried, and the node is not ready meanwhile.
        supplier.failWith(new IOException("cannot lock /data/g2/lock"), new IOException("cannot lock /data/g2/lock"));
        registry.createGroup(group("g2"));
        Readiness failing = repository.readiness();
        assertEquals(new Readiness(false, "group g2: FAILED (cannot lock /data/g2/lock)"), failing);
        Await.until("g2 healed", Duration.ofSeconds(10), () -> repository.readiness().ready());
        assertEquals(new Readiness(true, "serving 2 group(s)"), repository.readiness());
        repository.close();
        assertEquals(new Readiness(false, "stopping"), repository.readiness());
    }

    @Test
    public void r11_aNodeWithoutStorageIsNeverReady() {
        start(null);
        registry.createGroup(group("g1"));
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        assertEquals(new Readiness(false, "group g1: PORTABLE"), repository.readiness());
    }

    @Test
    public void r11_neverReadyAgainOnceFailFastHasStarted() {
        start(supplier);
        registry.registerHandler("repo", EnumSet.allOf(Kind.class), repository);
        failFast.fail("group g9: processing ADD", new IOException("incompatible version 1.3.0"));
        assertEquals(1, fatal.size());
        assertEquals(new Readiness(false, "fail-fast under way"), repository.readiness());
    }
}
