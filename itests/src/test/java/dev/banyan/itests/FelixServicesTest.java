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

import dev.banyan.schema.api.Catalog;
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
    public void registryAndRepositoryServeGroupsWithoutAStorageSupplierAsPortable() throws Exception {
        Path root = freshDataRoot();
        long before = serviceId(SchemaRegistry.class);
        configure("dev.banyan.schema.registry", "directory", root.resolve(".registry").toString());
        // A configuration change re-activates the registry: wait for the new instance, then for the repository.
        Await.until(Duration.ofSeconds(30), () -> serviceId(SchemaRegistry.class) > before
                && service(SchemaRepository.class).isPresent() ? null : "registry and repository not yet back");
        SchemaRegistry registry = service(SchemaRegistry.class).orElseThrow();
        registry.createGroup(Group.of("portable1", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(3))));
        assertTrue(Files.isRegularFile(root.resolve(".registry/schema.yaml")));
        Await.until(Duration.ofSeconds(30), () -> service(SchemaRepository.class)
                .map(r -> r.status().equals(List.of(new GroupStatus("portable1", GroupStatus.State.PORTABLE, null, 0))))
                .orElse(false) ? null : "repository does not list portable1");
    }

    private Path freshDataRoot() throws Exception {
        Path base = Paths.get(System.getProperty("banyan.reactor.dir"), "itests", "target", "felix-data");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "root").toAbsolutePath().normalize();
    }

    private void configure(String pid, String key, String value) throws Exception {
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        configuration.update(properties);
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
