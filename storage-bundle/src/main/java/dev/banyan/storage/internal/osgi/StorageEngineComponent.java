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
    }

    private TsdbEngine engine;
    private ScheduledExecutorService retention;
    private ObjectName mbeanName;

    @Activate
    void activate(Config config) {
        Path root = resolveDataRoot(config.dataRoot());
        engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.systemDefaultZone(), TsdbEngine.DEFAULT_FLUSH_THRESHOLD,
                Duration.ofMinutes(Math.max(0, config.maxFutureMinutes())));
        retention = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "banyan-retention");
            thread.setDaemon(true);
            return thread;
        });
        long minutes = Math.max(1, config.retentionIntervalMinutes());
        retention.scheduleAtFixedRate(this::runRetention, minutes, minutes, TimeUnit.MINUTES);
        registerMBean();
        LOG.info("Storage engine active, data root {}, retention every {} min, points accepted up to {} min ahead of "
                + "the clock", root, minutes, Math.max(0, config.maxFutureMinutes()));
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
