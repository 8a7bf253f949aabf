package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import javax.inject.Inject;
import javax.management.ObjectName;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import static org.junit.Assert.fail;

import java.util.Map;

import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.StorageEngine;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;

/** The engine, registry and repository as OSGi services, configured through Config Admin. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixServicesTest {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return FelixOptions.base().toArray(new Option[0]);
    }

    @Test
    public void storageServiceOpensADatabaseUnderTheConfiguredRoot() throws Exception {
        Path root = freshDataRoot();
        configure("dev.banyan.storage", "dataRoot", root.toString());
        Await.until(Duration.ofSeconds(30), () -> root.equals(service(StorageEngine.class).map(StorageEngine::dataRoot).orElse(null))
                ? null : "storage engine not yet reconfigured to " + root);
        StorageEngine engine = service(StorageEngine.class).orElseThrow();
        try (Tsdb db = engine.open("itest", TsdbOptions.of(
                dev.banyan.storage.api.IntervalRule.days(1), dev.banyan.storage.api.IntervalRule.days(7), 2))) {
            SegmentInfo segment = db.segmentFor(System.currentTimeMillis());
            assertTrue(Files.isRegularFile(segment.directory().resolve("metadata")));
            assertTrue(Files.exists(root.resolve("itest/lock")));
            Object open = ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("dev.banyan:type=Storage"), "OpenDatabases");
            assertEquals("[R10] counters over JMX", 1, open);
        }
        assertTrue("closed: lock file gone", Files.notExists(root.resolve("itest/lock")));
    }

    @Test
    public void measureServiceWritesValidatedPointsToServingGroups() throws Exception {
        Path root = freshDataRoot();
        long registryBefore = serviceId(SchemaRegistry.class);
        // One data root: the registry moves with the storage data root (no 'directory' of its own).
        configure("dev.banyan.storage", "dataRoot", root.toString());
        // Storage and registry re-activate; the repository follows them and is published again once booted.
        Await.until(Duration.ofSeconds(30), () -> serviceId(SchemaRegistry.class) > registryBefore
                && root.equals(service(StorageEngine.class).map(StorageEngine::dataRoot).orElse(null))
                && service(SchemaRepository.class).isPresent() && service(MeasureService.class).isPresent()
                ? null : "services not yet back on " + root);
        SchemaRegistry registry = service(SchemaRegistry.class).orElseThrow();
        registry.createGroup(Group.of("sw", Catalog.MEASURE, new ResourceOpts(2, IntervalRule.days(1), IntervalRule.days(7))));
        registry.createMeasure(new Measure("sw", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING),
                new TagSpec("region", TagSpec.TagType.STRING)), List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)),
                List.of("host"), 0, 0));
        Await.until(Duration.ofSeconds(30), () -> service(MeasureService.class).map(m -> m.status().equals(
                List.of(new GroupStatus("sw", GroupStatus.State.SERVING, null, 1)))).orElse(false) ? null : "sw not serving");
        assertTrue("the group's TSDB is open under the data root", Files.exists(root.resolve("sw/lock")));
        assertTrue("the registry lives under the same data root", Files.readString(root.resolve(".registry/schema.yaml"))
                .contains("name: sw"));

        MeasureService measures = service(MeasureService.class).orElseThrow();
        // Within the group's 7-day TTL and the engine's write window [S13a]: recent, whole minutes.
        long t0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;
        measures.write("sw", "cpu", List.of(
                new DataPoint(t0, Map.of("host", "h1", "region", "eu"), Map.of("value", 1.5)),
                new DataPoint(t0 + 1000, Map.of("host", "h1", "region", "eu"), Map.of("value", 2.5)),
                new DataPoint(t0, Map.of("host", "h2", "region", "us"), Map.of("value", 10.0))));
        try {
            measures.write("sw", "cpu", List.of(
                    new DataPoint(t0 + 2000, Map.of("host", "h1"), Map.of("value", 3.0)),
                    new DataPoint(t0 + 3000, Map.of("host", "h1"), Map.of("valu", 4.0))));
            fail("unknown field");
        } catch (IllegalArgumentException e) {
            assertEquals("measure sw/cpu: point 1: unknown field 'valu' (declared: [value])", e.getMessage());
        }
        try {
            measures.write("sw", "cpu", List.of(new DataPoint(t0, Map.of("region", "eu"), Map.of("value", 1.0))));
            fail("missing entity tag");
        } catch (IllegalArgumentException e) {
            assertEquals("measure sw/cpu: point 0: missing entity tag 'host'", e.getMessage());
        }
        // [S12][S13a] Timestamps outside the supported range or the write window are the client's mistake.
        try {
            measures.write("sw", "cpu", List.of(new DataPoint(253_402_300_800_000L, Map.of("host", "h1"), Map.of("value", 1.0))));
            fail("year 10000");
        } catch (InvalidPointException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("measure sw/cpu: point 0: timestamp +10000-01-01T00:00:00Z"));
        }
        try {
            measures.write("sw", "cpu", List.of(new DataPoint(t0, Map.of("host", "h1"), Map.of("value", 1.0)),
                    new DataPoint(t0 + 30L * 86_400_000, Map.of("host", "h1"), Map.of("value", 1.0))));
            fail("a month ahead of the clock");
        } catch (InvalidPointException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("measure sw/cpu: group sw: point 1 of the batch"));
            assertTrue(e.getMessage(), e.getMessage().contains("more than 2 days ahead of the server clock"));
        }
        Object errors = ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("dev.banyan:type=SchemaRepository"), "Errors");
        assertEquals("[R10] repository counters over JMX", 0L, errors);
        assertEquals("[R11] readiness over JMX", Boolean.TRUE,
                ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("dev.banyan:type=SchemaRepository"), "Ready"));
        assertEquals("serving 1 group(s)",
                ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName("dev.banyan:type=SchemaRepository"), "Readiness"));
        assertTrue("[R11] readiness through the API the HTTP bundle uses", measures.readiness().ready());

        // [R3] A handler published as a DS/OSGi service (whiteboard) is initialised, then hears events.
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(SchemaEventHandler.NAME_PROPERTY, "audit");
        props.put(SchemaEventHandler.KINDS_PROPERTY, new String[] {"GROUP"});
        var registration = context.registerService(SchemaEventHandler.class, new SchemaEventHandler() {
            @Override
            public void onInit(java.util.Set<Kind> kinds) {
                heard.add("init " + kinds);
            }

            @Override
            public void onEvent(SchemaEvent event) {
                heard.add(event.type() + " " + event.object().describe());
            }
        }, props);
        Await.until(Duration.ofSeconds(30), () -> heard.contains("init [GROUP]") ? null : "whiteboard handler not initialised: " + heard);
        registry.createGroup(Group.of("audited", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(7))));
        registry.createMeasure(new Measure("audited", "m", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
                List.of(new FieldSpec("v", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0));
        assertEquals("groups only, as subscribed", List.of("init [GROUP]", "ADD group audited"), heard);
        registration.unregister();

        QueryResult avg = measures.query("sw", Query.of("cpu", new TimeRange(t0, t0 + 60_000))
                .aggregate(AggregateFunction.AVG, AggregateFunction.COUNT).groupBy("region"));
        assertEquals(2, avg.rows().size());
        assertEquals(Map.of("region", "eu"), avg.rows().get(0).group());
        assertEquals("nothing of the refused writes was stored", 2, avg.rows().get(0).longValue(AggregateFunction.COUNT, "value"), 0);
        assertEquals(2.0, avg.rows().get(0).doubleValue(AggregateFunction.AVG, "value"), 0);
    }

    private Path freshDataRoot() throws Exception {
        Path base = Paths.get(System.getProperty("banyan.reactor.dir"), "itests", "target", "felix-data");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "root").toAbsolutePath().normalize();
    }

    private void configure(String pid, String key, String value) throws Exception {
        OsgiServices.configure(configAdmin, pid, key, value);
    }

    private long serviceId(Class<?> type) {
        return OsgiServices.serviceId(context, type);
    }

    private <T> java.util.Optional<T> service(Class<T> type) {
        return OsgiServices.service(context, type);
    }
}
