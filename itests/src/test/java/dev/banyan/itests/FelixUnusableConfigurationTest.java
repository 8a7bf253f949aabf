package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
import dev.banyan.schema.api.GroupDatabaseSupplier;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.StorageEngine;

/**
 * [R11] A configuration value the guard accepts must be one every component can use: what the guard
 * hands components (Config Admin's processed properties) never holds a value a component would fail
 * on, and the node keeps serving with the previous configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixUnusableConfigurationTest {

    /** A minute an hour ago: inside the write window of a group with a 7-day TTL. */
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
    public void r11_aValueWithWhitespaceAComponentWouldReadAsWrittenIsRefused() throws Exception {
        Path root = serveWithAGroup("whitespace");
        configure("dev.banyan.server", "durability", "OS");
        assertEquals("OS", processed("dev.banyan.server", GroupDatabaseSupplier.class).get("durability"));
        // The input: a trailing space, which Felix SCR turns into no enum constant.
        configure("dev.banyan.server", "durability", "FSYNC ");
        assertEquals("the previous value stays in force", "OS", processed("dev.banyan.server", GroupDatabaseSupplier.class)
                .get("durability"));
        // The same kind: "30 " reads as a number to the metatype once stripped, not to the component.
        configure("dev.banyan.storage", "retentionIntervalMinutes", "30 ");
        assertEquals(root.toString(), processed("dev.banyan.storage", StorageEngine.class).get("dataRoot"));
        assertEquals(null, processed("dev.banyan.storage", StorageEngine.class).get("retentionIntervalMinutes"));
        assertServes();
    }

    @Test
    public void r11_aDataRootThatCannotBeCreatedIsRefused() throws Exception {
        Path root = serveWithAGroup("unwritable");
        // The input: a directory nobody can create.
        configure("dev.banyan.storage", "dataRoot", "/proc/nope");
        assertEquals(root.toString(), processed("dev.banyan.storage", StorageEngine.class).get("dataRoot"));
        // The same kind: an existing file where a directory is wanted.
        Path file = Files.writeString(root.resolveSibling(root.getFileName() + ".file"), "not a directory");
        configure("dev.banyan.storage", "dataRoot", file.toString());
        assertEquals(root.toString(), processed("dev.banyan.storage", StorageEngine.class).get("dataRoot"));
        assertServes();
        assertEquals(root, service(StorageEngine.class).dataRoot());
    }

    /** Points storage at a fresh data root, with a group and a measure, and waits until the node serves. */
    private Path serveWithAGroup(String name) throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Paths.get(System.getProperty("banyan.reactor.dir"),
                "itests", "target", "felix-data")), name).toAbsolutePath().normalize();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("dataRoot", root.toString());
        configAdmin.getConfiguration("dev.banyan.storage", "?").update(properties);
        Await.until(Duration.ofSeconds(30), () -> {
            ServiceReference<StorageEngine> engine = context.getServiceReference(StorageEngine.class);
            ServiceReference<MeasureService> measures = context.getServiceReference(MeasureService.class);
            return engine != null && root.equals(context.getService(engine).dataRoot()) && measures != null
                    && context.getService(measures).readiness().ready() ? null : "not serving on " + root;
        });
        SchemaRegistry registry = service(SchemaRegistry.class);
        registry.createGroup(Group.of(name, Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(7))));
        registry.createMeasure(new Measure(name, "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
                List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0));
        assertServes();
        return root;
    }

    /** Ready, and a write to every group succeeds. */
    private void assertServes() throws Exception {
        Await.until(Duration.ofSeconds(30), () -> {
            ServiceReference<MeasureService> reference = context.getServiceReference(MeasureService.class);
            return reference != null && context.getService(reference).readiness().ready() ? null : "not ready";
        });
        MeasureService measures = service(MeasureService.class);
        for (var status : measures.status()) {
            measures.write(status.group(), "cpu", List.of(new DataPoint(T0, Map.of("host", "h1"), Map.of("value", 1.5))));
        }
        assertTrue(measures.readiness().reason(), measures.readiness().ready());
    }

    private void configure(String pid, String key, String value) throws Exception {
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = configuration.getProperties() == null ? new Hashtable<>()
                : configuration.getProperties();
        properties.put(key, value);
        configuration.update(properties);
    }

    /** The properties Config Admin hands the component behind {@code service} after every plugin (the guard). */
    private Map<String, Object> processed(String pid, Class<?> service) throws Exception {
        ServiceReference<?> reference = context.getServiceReference(service);
        Dictionary<String, Object> properties = configAdmin.getConfiguration(pid, "?").getProcessedProperties(reference);
        Map<String, Object> map = new java.util.HashMap<>();
        for (String key : java.util.Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return map;
    }

    private <T> T service(Class<T> type) {
        return context.getService(context.getServiceReference(type));
    }
}
