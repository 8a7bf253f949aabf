package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

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

import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.StorageEngine;
import dev.banyan.storage.api.TimeRange;

/**
 * [S15][R11] The registry never accepts a group definition the node's stored data cannot honour:
 * refused up front naming the group and the field, with every group still serving (no fail-fast).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixSchemaChangeTest {

    /** A minute an hour ago: inside the write window of a group with a 7-day TTL ([S13a]). */
    private static final long T0 = (System.currentTimeMillis() - 3_600_000) / 60_000 * 60_000;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return FelixOptions.base().toArray(new Option[0]);
    }

    @Test
    public void s15_aGroupRecreatedOverKeptDataWithAnotherUnitIsRefusedUpFront() throws Exception {
        Path root = serveOnAFreshDataRoot();
        SchemaRegistry registry = service(SchemaRegistry.class).orElseThrow();
        Group daily = registry.createGroup(Group.of("kept", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(7))));
        Measure cpu = new Measure("kept", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
                List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0);
        registry.createMeasure(cpu);
        MeasureService measures = service(MeasureService.class).orElseThrow();
        measures.write("kept", "cpu", List.of(new DataPoint(T0, Map.of("host", "h1"), Map.of("value", 4.5))));

        // updateGroup changing the unit: refused by the registry, the group keeps serving.
        try {
            registry.updateGroup(Group.of("kept", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.hours(1), IntervalRule.days(7))));
            fail("unit change accepted");
        } catch (InvalidSchemaException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("group kept: field 'segmentInterval': the unit cannot change from DAY to HOUR"));
        }
        // Deleted from the schema, the data kept; created again with another unit: refused, naming the field.
        registry.deleteMeasure("kept", "cpu");
        registry.deleteGroup("kept");
        try {
            registry.createGroup(Group.of("kept", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.hours(1), IntervalRule.days(7))));
            fail("a unit the kept data cannot be opened with was accepted");
        } catch (InvalidSchemaException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("group kept: field 'segmentInterval': unit HOUR does not match the data "
                    + "already stored at " + root.resolve("kept") + ", whose segments are named for DAY"));
        }
        assertTrue("refused before anything was stored", registry.getGroup("kept").isEmpty());
        assertTrue("still ready: " + measures.readiness(), measures.readiness().ready());
        // With the unit of its data, the group serves its kept points again.
        registry.createGroup(Group.of("kept", Catalog.MEASURE, daily.resourceOpts()));
        registry.createMeasure(cpu);
        Await.until(Duration.ofSeconds(30), () -> measures.readiness().ready() ? null : measures.readiness().reason());
        assertEquals(1, measures.query("kept", Query.of("cpu", new TimeRange(T0, T0 + 1))).series().size());
    }

    /**
     * [R11] An additive change works end to end: a field added (through the registry) to a measure
     * that already has data is written from then on, and points written before read it as absent.
     */
    @Test
    public void r11_aFieldAddedToAMeasureWithDataIsWrittenAndOldPointsHaveItAbsent() throws Exception {
        serveOnAFreshDataRoot();
        SchemaRegistry registry = service(SchemaRegistry.class).orElseThrow();
        MeasureService measures = service(MeasureService.class).orElseThrow();
        registry.createGroup(Group.of("grown", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(7))));
        Measure cpu = registry.createMeasure(new Measure("grown", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
                List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0));
        Await.until(Duration.ofSeconds(30), () -> measures.readiness().ready() ? null : measures.readiness().reason());
        measures.write("grown", "cpu", List.of(new DataPoint(T0, Map.of("host", "h1"), Map.of("value", 1.5))));

        registry.updateMeasure(new Measure("grown", "cpu", cpu.tags(), List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE),
                new FieldSpec("extra", FieldSpec.FieldType.DOUBLE)), cpu.entity(), 0, 0));
        Await.until(Duration.ofSeconds(30), () -> measures.readiness().ready() ? null : measures.readiness().reason());
        measures.write("grown", "cpu", List.of(new DataPoint(T0 + 1000, Map.of("host", "h1"), Map.of("value", 2.5, "extra", 7.0))));

        SeriesRows rows = measures.query("grown", Query.of("cpu", new TimeRange(T0, T0 + 2000))).series().get(0);
        assertEquals(2, rows.size());
        assertEquals(false, rows.isPresent("extra", 0));
        assertEquals(1.5, rows.doubleValue("value", 0), 0);
        assertEquals(true, rows.isPresent("extra", 1));
        assertEquals(7.0, rows.doubleValue("extra", 1), 0);
        assertTrue("still ready: " + measures.readiness(), measures.readiness().ready());
    }

    /**
     * [R11] A measure deleted from the schema keeps its points; created again with fields those
     * points contradict (another type, as the issue gives; or moved behind a new field) it is refused
     * up front, naming the measure, the field and both types, and the node keeps serving. Appending
     * fields to the stored ones is accepted and the kept points read again.
     */
    @Test
    public void r11_aMeasureRecreatedOverKeptPointsWithOtherFieldTypesIsRefusedUpFront() throws Exception {
        serveOnAFreshDataRoot();
        SchemaRegistry registry = service(SchemaRegistry.class).orElseThrow();
        MeasureService measures = service(MeasureService.class).orElseThrow();
        registry.createGroup(Group.of("retyped", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(7))));
        List<TagSpec> tags = List.of(new TagSpec("host", TagSpec.TagType.STRING));
        registry.createMeasure(new Measure("retyped", "cpu", tags, List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)),
                List.of("host"), 0, 0));
        Await.until(Duration.ofSeconds(30), () -> measures.readiness().ready() ? null : measures.readiness().reason());
        measures.write("retyped", "cpu", List.of(new DataPoint(T0, Map.of("host", "h1"), Map.of("value", 4.5))));
        registry.deleteMeasure("retyped", "cpu");

        assertRefused(registry, new Measure("retyped", "cpu", tags, List.of(new FieldSpec("value", FieldSpec.FieldType.LONG)),
                List.of("host"), 0, 0), "measure retyped/cpu: field 'fields': group retyped: measure cpu has fields [value:DOUBLE]; "
                + "a definition with fields [value:LONG] has field value as LONG: a field's type cannot change");
        assertRefused(registry, new Measure("retyped", "cpu", tags, List.of(new FieldSpec("count", FieldSpec.FieldType.LONG),
                new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0), "measure retyped/cpu: field 'fields': "
                + "group retyped: measure cpu has fields [value:DOUBLE]; a definition with fields [count:LONG, value:DOUBLE] has "
                + "count where value is: fields can only be appended, in order");
        assertTrue("refused before anything was stored", registry.getMeasure("retyped", "cpu").isEmpty());
        assertTrue("still ready: " + measures.readiness(), measures.readiness().ready());

        registry.createMeasure(new Measure("retyped", "cpu", tags, List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE),
                new FieldSpec("count", FieldSpec.FieldType.LONG)), List.of("host"), 0, 0));
        Await.until(Duration.ofSeconds(30), () -> measures.readiness().ready() ? null : measures.readiness().reason());
        measures.write("retyped", "cpu", List.of(new DataPoint(T0 + 1000, Map.of("host", "h1"), Map.of("value", 5.5, "count", 2L))));
        SeriesRows rows = measures.query("retyped", Query.of("cpu", new TimeRange(T0, T0 + 2000))).series().get(0);
        assertEquals(2, rows.size());
        assertEquals(4.5, rows.doubleValue("value", 0), 0);
        assertEquals(false, rows.isPresent("count", 0));
    }

    private static void assertRefused(SchemaRegistry registry, Measure measure, String message) {
        try {
            registry.createMeasure(measure);
            fail("accepted " + measure);
        } catch (InvalidSchemaException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(message));
        }
    }

    /** Points the storage engine (and with it the registry) at a new data root and waits until both serve there. */
    private Path serveOnAFreshDataRoot() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Paths.get(System.getProperty("banyan.reactor.dir"),
                "itests", "target", "felix-data")), "schema-change").toAbsolutePath().normalize();
        long registryBefore = serviceId(SchemaRegistry.class);
        org.osgi.service.cm.Configuration storage = configAdmin.getConfiguration("dev.banyan.storage", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("dataRoot", root.toString());
        storage.update(properties);
        // Storage and (through its dataRoot) the registry re-activate; the repository follows them.
        Await.until(Duration.ofSeconds(30), () -> serviceId(SchemaRegistry.class) > registryBefore
                && service(StorageEngine.class).map(StorageEngine::dataRoot).filter(root::equals).isPresent()
                && service(MeasureService.class).map(m -> m.readiness().ready()).orElse(false) ? null : "not serving on " + root);
        return root;
    }

    private long serviceId(Class<?> type) {
        ServiceReference<?> reference = context.getServiceReference(type);
        return reference == null ? -1 : (Long) reference.getProperty("service.id");
    }

    private <T> java.util.Optional<T> service(Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        return reference == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(context.getService(reference));
    }
}
