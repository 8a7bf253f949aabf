package dev.banyan.schema.internal.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaException;

/** [R3][R4] Handler registration: init first, permanent vs transient failures, the deadline. */
public class OnInitRetryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final FakeClock clock = new FakeClock();

    private EmbeddedRegistry registry() {
        return new EmbeddedRegistry(tmp.getRoot().toPath(), clock, EmbeddedRegistry.DEFAULT_ONINIT_TIMEOUT);
    }

    /** Fails its first {@code failures} inits with the given error, then succeeds. */
    static final class ScriptedHandler implements SchemaEventHandler {
        final AtomicInteger inits = new AtomicInteger();
        final List<SchemaEvent> events = new ArrayList<>();
        final int failures;
        final Exception error;

        ScriptedHandler(int failures, Exception error) {
            this.failures = failures;
            this.error = error;
        }

        @Override
        public void onInit(Set<Kind> kinds) throws Exception {
            if (inits.incrementAndGet() <= failures) {
                throw error;
            }
        }

        @Override
        public void onEvent(SchemaEvent event) {
            events.add(event);
        }
    }

    @Test
    public void r4_permanentFailureIsNotRetried() {
        ScriptedHandler handler = new ScriptedHandler(Integer.MAX_VALUE,
                PermanentErrors.asPermanent(new IOException("incompatible version 1.3.0")));
        Instant before = clock.now();
        try {
            registry().registerHandler("repo", EnumSet.allOf(Kind.class), handler);
            fail("permanent");
        } catch (SchemaException e) {
            assertEquals("OnInit repo: incompatible version 1.3.0", e.getMessage());
            assertTrue("still permanent", PermanentErrors.isPermanent(e));
        }
        assertEquals("exactly one call", 1, handler.inits.get());
        assertEquals("clock not advanced", before, clock.now());
    }

    @Test
    public void r4_transientFailureIsRetriedEverySecondUntilItSucceeds() {
        ScriptedHandler handler = new ScriptedHandler(3, new IOException("etcd not reachable"));
        Instant before = clock.now();
        registry().registerHandler("repo", EnumSet.allOf(Kind.class), handler);
        assertEquals(4, handler.inits.get());
        assertEquals(Duration.ofSeconds(3), Duration.between(before, clock.now()));
    }

    @Test
    public void r4_neverEndingTransientFailureStopsAtTheDeadline() {
        ScriptedHandler handler = new ScriptedHandler(Integer.MAX_VALUE, new IOException("etcd not reachable"));
        Instant before = clock.now();
        try {
            new EmbeddedRegistry(tmp.getRoot().toPath(), clock, Duration.ofSeconds(10))
                    .registerHandler("repo", EnumSet.allOf(Kind.class), handler);
            fail("deadline");
        } catch (SchemaException e) {
            assertEquals("OnInit repo exceeded deadline: etcd not reachable", e.getMessage());
            assertFalse(PermanentErrors.isPermanent(e));
        }
        assertEquals("one call at t=0s and one per second until t=10s", 11, handler.inits.get());
        assertEquals(Duration.ofSeconds(10), Duration.between(before, clock.now()));
    }

    @Test
    public void r3_eventsFlowOnlyAfterInitSucceeded() {
        EmbeddedRegistry registry = registry();
        ScriptedHandler failing = new ScriptedHandler(Integer.MAX_VALUE, PermanentErrors.asPermanent(new IOException("no")));
        try {
            registry.registerHandler("failing", EnumSet.of(Kind.GROUP), failing);
            fail("permanent");
        } catch (SchemaException expected) {
            // registration refused
        }
        ScriptedHandler groupsOnly = new ScriptedHandler(0, null);
        registry.registerHandler("groups", EnumSet.of(Kind.GROUP), groupsOnly);
        registry.createGroup(Group.of("g1", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(1))));
        registry.createMeasure(dev.banyan.schema.SchemaFixture.cpu("g1"));
        assertEquals(List.of(), failing.events);
        assertEquals("only the subscribed kind", 1, groupsOnly.events.size());
        assertEquals(SchemaEvent.Type.ADD, groupsOnly.events.get(0).type());
    }
}
