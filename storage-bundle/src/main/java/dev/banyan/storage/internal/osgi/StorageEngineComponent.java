package dev.banyan.storage.internal.osgi;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.StorageCounters;
import dev.banyan.storage.api.IntervalUnit;
import dev.banyan.storage.api.StorageEngine;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.EngineSettings;
import dev.banyan.storage.internal.tsdb.StorageMetricsMBean;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * The engine as an OSGi service. A configuration change re-activates the component: the old
 * instance closes every database (releasing every lock) before the new one is registered.
 */
@Component(service = StorageEngine.class, configurationPid = StorageEngineComponent.PID, immediate = true)
@Designate(ocd = StorageEngineComponent.Config.class)
public final class StorageEngineComponent implements StorageEngine {

    public static final String PID = "dev.banyan.storage";
    static final String MBEAN_NAME = "dev.banyan:type=Storage";
    private static final Logger LOG = LoggerFactory.getLogger(StorageEngineComponent.class);

    @ObjectClassDefinition(name = "Banyan storage engine", description = "Where and how the time-series engine keeps its data.")
    public @interface Config {

        @AttributeDefinition(name = "Data root", description = "Directory holding one sub-directory per group. "
                + "Empty: <karaf.data>/banyan when running in Karaf, else ./banyan-data.")
        String dataRoot() default "";

        @AttributeDefinition(name = "Retention interval (minutes)", description = "How often expired segments are "
                + "deleted in every open group, besides the checks made as data arrives; at least 1.", min = "1")
        long retentionIntervalMinutes() default 1440;

        @AttributeDefinition(name = "Accepted future (minutes)", description = "How far ahead of this server's clock "
                + "a written point's timestamp may lie. A point further ahead is refused with an error naming the point "
                + "and the accepted window, so one client's wrong clock cannot create far-future segments. Rotation "
                + "and retention always run on the server's clock. Default 2880 (2 days, like VictoriaMetrics); 0 "
                + "refuses every point ahead of the clock.", min = "0")
        long maxFutureMinutes() default 2880;

        @AttributeDefinition(name = "Memtable memory budget (MiB)", description = "Heap all memtables of every group "
                + "together may take. Half of it filled starts flushes early; all of it makes writes wait for flushes, "
                + "then fail with a retriable error. 0: a quarter of the JVM's maximum heap.", min = "0")
        long memtableBudgetMB() default 0;

        @AttributeDefinition(name = "Flush threshold (points)", description = "Points a shard's memtable holds before "
                + "it is written to a part.", min = "1")
        long flushThresholdPoints() default EngineSettings.DEFAULT_FLUSH_THRESHOLD;

        @AttributeDefinition(name = "Write stall timeout (seconds)", description = "How long a write waits for memtable "
                + "memory when the budget is full before it is refused (nothing written, retriable).", min = "0")
        long writeStallTimeoutSeconds() default 10;
    }

    /** The write path's settings from the configuration; a value out of range fails activation naming it. */
    static EngineSettings settings(Config config) {
        if (config.memtableBudgetMB() < 0) {
            throw new IllegalArgumentException("memtableBudgetMB must be 0 (automatic) or positive, got " + config.memtableBudgetMB());
        }
        if (config.writeStallTimeoutSeconds() < 0) {
            throw new IllegalArgumentException("writeStallTimeoutSeconds must not be negative, got "
                    + config.writeStallTimeoutSeconds());
        }
        long budget = config.memtableBudgetMB() == 0 ? EngineSettings.defaultMemtableBudget() : config.memtableBudgetMB() << 20;
        if (config.maxFutureMinutes() < 0) {
            throw new IllegalArgumentException("maxFutureMinutes must not be negative, got " + config.maxFutureMinutes());
        }
        return EngineSettings.defaults().withFlushThresholdPoints(config.flushThresholdPoints()).withMemtableBudgetBytes(budget)
                .withWriteStallTimeout(Duration.ofSeconds(config.writeStallTimeoutSeconds()))
                .withMaxFuture(Duration.ofMinutes(config.maxFutureMinutes()));
    }

    private TsdbEngine engine;
    private ScheduledExecutorService retention;
    private ObjectName mbeanName;

    @Activate
    void activate(Config config) {
        Path root = resolveDataRoot(config.dataRoot());
        EngineSettings settings = settings(config);
        engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.systemDefaultZone(), settings);
        retention = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "banyan-retention");
            thread.setDaemon(true);
            return thread;
        });
        long minutes = Math.max(1, config.retentionIntervalMinutes());
        retention.scheduleAtFixedRate(this::runRetention, minutes, minutes, TimeUnit.MINUTES);
        registerMBean();
        LOG.info("Storage engine active, data root {}, retention every {} min, memtable budget {} MiB, flush threshold {} "
                + "points, points accepted up to {} min ahead of the clock", root, minutes, settings.memtableBudgetBytes() >> 20,
                settings.flushThresholdPoints(), settings.maxFuture().toMinutes());
    }

    @Deactivate
    void deactivate() {
        retention.shutdownNow();
        try {
            retention.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unregisterMBean();
        // Close before returning: a bundle update's new revision opens the same dirs right after.
        engine.close();
        LOG.info("Storage engine stopped, every database closed under {}", engine.dataRoot());
    }

    static Path resolveDataRoot(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip()).toAbsolutePath().normalize();
        }
        String karafData = System.getProperty("karaf.data");
        return karafData != null ? Path.of(karafData, "banyan").toAbsolutePath().normalize()
                : Path.of("banyan-data").toAbsolutePath().normalize();
    }

    private void runRetention() {
        try {
            engine.applyRetention();
        } catch (RuntimeException e) {
            // Each group counts its own failures; keep the schedule alive whatever happens.
            LOG.error("Scheduled retention failed", e);
        }
    }

    private void registerMBean() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(engine.metrics(), StorageMetricsMBean.class), name);
            mbeanName = name;
        } catch (JMException | RuntimeException e) {
            LOG.warn("Storage counters are not available over JMX: {}", e.toString());
        }
    }

    private void unregisterMBean() {
        if (mbeanName == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(mbeanName);
        } catch (JMException | RuntimeException e) {
            LOG.debug("Storage MBean already gone", e);
        }
        mbeanName = null;
    }

    @Override
    public Path dataRoot() {
        return engine.dataRoot();
    }

    @Override
    public Tsdb open(String group, TsdbOptions options) {
        return engine.open(group, options);
    }

    @Override
    public Optional<Tsdb> get(String group) {
        return engine.get(group);
    }

    @Override
    public void drop(String group) {
        engine.drop(group);
    }

    @Override
    public StorageCounters counters() {
        return engine.counters();
    }

    @Override
    public Optional<IntervalUnit> segmentUnit(String group) {
        return engine.segmentUnit(group);
    }

    @Override
    public List<SegmentProblem> check(Path dataRoot) {
        return engine.check(dataRoot);
    }
}
