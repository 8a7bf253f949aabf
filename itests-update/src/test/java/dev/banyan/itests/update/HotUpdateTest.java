package dev.banyan.itests.update;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

import dev.banyan.itests.FelixOptions;

/**
 * Hot bundle updates while a writer keeps writing: the storage bundle, then the schema bundle, are
 * updated and refreshed (what Karaf's {@code bundle:update -r} does). Every acknowledged point must
 * be stored exactly once; writes during the switch fail and are retried; the unavailability window
 * is measured.
 * <p>
 * This module's test classes touch the project's bundles through OSGi and reflection only, so the
 * test probe never wires to a package the refresh replaces ({@link FelixOptions} runs outside the
 * framework, in {@code @Configuration}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotUpdateTest {

    private static final long T0 = 1_704_067_200_000L;

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return FelixOptions.base().toArray(new Option[0]);
    }

    /** Writes point n (timestamp T0 + n) until acknowledged, remembering the longest time without success. */
    private final class Writer implements Runnable {
        final int id;
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong failures = new AtomicLong();
        final AtomicLong longestGapMillis = new AtomicLong();
        final AtomicBoolean running = new AtomicBoolean(true);
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile Throwable unexpected;

        Writer(int id) {
            this.id = id;
        }

        @Override
        public void run() {
            long lastSuccess = System.nanoTime();
            try {
                while (running.get()) {
                    long n = acknowledged.get();
                    try {
                        invokeWrite(id, n);
                        long now = System.nanoTime();
                        longestGapMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(now - lastSuccess), Math::max);
                        lastSuccess = now;
                        acknowledged.incrementAndGet();
                    } catch (Exception e) {
                        // Not acknowledged: the same point is written again.
                        failures.incrementAndGet();
                        Thread.sleep(2);
                    }
                }
            } catch (Throwable t) {
                unexpected = t;
            } finally {
                stopped.countDown();
            }
        }
    }

    @Test
    public void storageAndSchemaBundlesUpdateUnderWritesWithoutLosingAcknowledgedPoints() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Paths.get(System.getProperty("banyan.reactor.dir"),
                "itests-update", "target", "felix-data")), "hot").toAbsolutePath();
        Files.createDirectories(root.resolve(".registry"));
        Files.writeString(root.resolve(".registry/schema.yaml"), String.join("\n",
                "revision: 2", "groups:", "  - {name: hot, catalog: MEASURE, shardNum: 2, segmentInterval: {unit: DAY, num: 1},",
                "     ttl: {unit: DAY, num: 3650}, createRevision: 1, modRevision: 1}", "measures:",
                "  - {group: hot, name: cpu, tags: [{name: host, type: STRING}], fields: [{name: value, type: DOUBLE}],",
                "     entity: [host], createRevision: 2, modRevision: 2}", ""));
        configure("dev.banyan.storage", "dataRoot", root.toString());
        Await.until(Duration.ofSeconds(60), () -> status().contains("SERVING") ? null : "hot not serving: " + status());

        // One writer measures the outage; three more keep every shard busy while databases close.
        List<Writer> writers = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            Writer each = new Writer(id);
            writers.add(each);
            new Thread(each, "hot-update-writer-" + id).start();
        }
        Writer writer = writers.get(0);
        awaitAcknowledged(writer, 500);

        long storageWindow = update("dev.banyan.storage", writer);
        awaitAcknowledged(writer, writer.acknowledged.get() + 500);
        long schemaWindow = update("dev.banyan.schema", writer);
        awaitAcknowledged(writer, writer.acknowledged.get() + 500);

        // [S9] Stopping storage under the writers closes every database: nothing under the data root
        // stays open, neither from this revision nor from the ones the updates replaced.
        Bundle storage = Arrays.stream(context.getBundles()).filter(b -> "dev.banyan.storage".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        storage.stop();
        assertEquals("open under the data root after every database closed", List.of(), openFilesUnder(root.toRealPath()));
        storage.start();
        Await.until(Duration.ofSeconds(60), () -> status().contains("SERVING") ? null : "not serving again: " + status());
        awaitAcknowledged(writer, writer.acknowledged.get() + 200);

        long acknowledged = 0;
        for (Writer each : writers) {
            each.running.set(false);
            assertTrue(each.stopped.await(30, TimeUnit.SECONDS));
            assertEquals(null, each.unexpected);
            acknowledged += each.acknowledged.get();
        }
        long stored = countStored();
        System.out.printf("hot update: %d acknowledged, %d retried writes, unavailability storage %d ms, schema %d ms%n",
                acknowledged, writer.failures.get(), storageWindow, schemaWindow);
        assertEquals("every acknowledged point stored exactly once", acknowledged, stored);
        assertTrue("writes failed during the switches and were retried", writer.failures.get() > 0);

        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        assertEquals(List.of(), new ArrayList<>(wiring.getRemovalPendingBundles()));
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName().startsWith("dev.banyan.")) {
                assertEquals(bundle.getSymbolicName(), Bundle.ACTIVE, bundle.getState());
                assertTrue(bundle.getSymbolicName() + " wired to current revisions", bundle.adapt(BundleWiring.class).isCurrent());
            }
        }
        Await.until(Duration.ofSeconds(30), () -> {
            List<String> inactive = scr.getComponentDescriptionDTOs().stream()
                    .filter(d -> d.bundle.symbolicName.startsWith("dev.banyan."))
                    .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                    .filter(c -> c.state != ComponentConfigurationDTO.ACTIVE).map(c -> c.description.name).toList();
            return inactive.isEmpty() ? null : "not ACTIVE: " + inactive;
        });
    }

    /** Updates a bundle in place and refreshes its importers, as {@code bundle:update -r} does; returns the writer's outage. */
    private long update(String symbolicName, Writer writer) throws Exception {
        Bundle bundle = Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow();
        assertTrue("the probe must stay out of the refresh", !context.getBundle(0).adapt(FrameworkWiring.class)
                .getDependencyClosure(List.of(bundle)).contains(context.getBundle()));
        writer.longestGapMillis.set(0);
        bundle.update();
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertTrue("refresh finished", refreshed.await(60, TimeUnit.SECONDS));
        Await.until(Duration.ofSeconds(60), () -> status().contains("SERVING") ? null : "not serving again: " + status());
        awaitAcknowledged(writer, writer.acknowledged.get() + 200);
        return writer.longestGapMillis.get();
    }

    private void awaitAcknowledged(Writer writer, long count) throws InterruptedException {
        Await.until(Duration.ofSeconds(60), () -> writer.unexpected != null ? "writer died: " + writer.unexpected
                : writer.acknowledged.get() >= count ? null : "acknowledged " + writer.acknowledged.get() + " of " + count);
    }

    // --- the project's services, through reflection on the current revision ---

    private Object measureService() throws InvalidSyntaxException {
        // getServiceReference(String) checks that the caller can see the class, which with the probe's
        // DynamicImport-Package: * wires the probe to the API package; getAllServiceReferences does not.
        ServiceReference<?>[] references = context.getAllServiceReferences("dev.banyan.server.api.MeasureService", null);
        if (references == null) {
            throw new IllegalStateException("no MeasureService right now");
        }
        Object service = context.getService(references[0]);
        if (service == null) {
            throw new IllegalStateException("MeasureService went away");
        }
        return service;
    }

    private void invokeWrite(int writer, long n) throws Exception {
        Object service = measureService();
        ClassLoader loader = service.getClass().getClassLoader();
        Object point = loader.loadClass("dev.banyan.server.api.DataPoint").getConstructor(long.class, Map.class, Map.class)
                .newInstance(T0 + n, Map.of("host", "w" + writer + "-h" + (n % 4)), Map.of("value", (double) n));
        service.getClass().getMethod("write", String.class, String.class, List.class).invoke(service, "hot", "cpu", List.of(point));
    }

    private String status() {
        try {
            Object service = measureService();
            return String.valueOf(service.getClass().getMethod("status").invoke(service));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private long countStored() throws Exception {
        Object service = measureService();
        ClassLoader loader = service.getClass().getClassLoader();
        Class<?> queryType = loader.loadClass("dev.banyan.storage.api.Query");
        Class<?> rangeType = loader.loadClass("dev.banyan.storage.api.TimeRange");
        Class<?> functionType = loader.loadClass("dev.banyan.storage.api.AggregateFunction");
        Object range = rangeType.getMethod("all").invoke(null);
        Object query = queryType.getMethod("of", String.class, rangeType).invoke(null, "cpu", range);
        Object count = functionType.getField("COUNT").get(null);
        Object functions = java.lang.reflect.Array.newInstance(functionType, 1);
        java.lang.reflect.Array.set(functions, 0, count);
        query = queryType.getMethod("aggregate", functions.getClass()).invoke(query, functions);
        query = queryType.getMethod("groupBy", String[].class).invoke(query, (Object) new String[0]);
        Object result = service.getClass().getMethod("query", String.class, queryType).invoke(service, "hot", query);
        List<?> rows = (List<?>) result.getClass().getMethod("rows").invoke(result);
        Method value = rows.get(0).getClass().getMethod("value", functionType, String.class);
        return ((Number) value.invoke(rows.get(0), count, "value")).longValue();
    }

    /** This JVM's open file descriptors that point under {@code root}, read from /proc/self/fd. */
    private static List<String> openFilesUnder(Path root) throws java.io.IOException {
        List<String> open = new ArrayList<>();
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) {
                        open.add(target.toString());
                    }
                } catch (java.io.IOException e) {
                    // closed between listing and reading
                }
            }
        }
        return open;
    }

    /** Polls for a state instead of sleeping a fixed time; {@code problems} returns null once reached. */
    private static final class Await {
        static void until(Duration timeout, java.util.function.Supplier<String> problems) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = problems.get();
            while (last != null) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("still not reached after " + timeout + ": " + last);
                }
                Thread.sleep(20);
                last = problems.get();
            }
        }
    }

    private void configure(String pid, String key, String value) throws Exception {
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        configuration.update(properties);
    }
}
