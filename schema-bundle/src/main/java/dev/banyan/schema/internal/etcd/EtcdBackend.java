package dev.banyan.schema.internal.etcd;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.NodeRegistry;
import dev.banyan.schema.api.RegistryState;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaRegistry;

/**
 * The etcd backend of one server: the schema registry, this node's registration, and the one rule
 * of the error contract across the network ([R4][R8][R9]): etcd out of reach is transient and
 * retried, the schema shown as stale meanwhile; once the outage has lasted the deadline, the server
 * stops through {@link FailFast} with one FATAL line naming the endpoint. An error etcd cannot heal
 * by waiting (an invalid object, a refused request) stops it at once.
 */
public final class EtcdBackend implements AutoCloseable {

    /**
     * How this server uses etcd.
     *
     * @param endpoints     client URLs of the etcd members ({@code http://host:2379}), tried in order
     * @param prefix        key prefix of this cluster's schema and nodes
     * @param deadline      how long etcd may be out of reach before the server stops
     * @param onInitTimeout how long a handler's initialisation is retried ([R4])
     * @param nodeId        this server's id in the node registry
     * @param nodeAddress   where others reach this server, as published in the node registry
     * @param leaseTtl      the node entry's lease TTL: how long a dead server stays listed
     */
    public record Settings(List<URI> endpoints, String prefix, Duration deadline, Duration onInitTimeout, String nodeId,
            String nodeAddress, Duration leaseTtl) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EtcdBackend.class);
    private static final Duration REPORT_INTERVAL = Duration.ofMillis(500);

    private final Settings settings;
    private final FailFast failFast;
    private final EtcdClient client;
    private final Outage outage = new Outage();
    private final EtcdRegistry registry;
    private final NodeRegistration node;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean fatal = new AtomicBoolean();

    /**
     * Starts the backend: the schema is read and watched, the node registered and kept alive, all on
     * background threads; nothing here waits for etcd.
     *
     * @param reporter this node's served groups and readiness, given the registry's state
     */
    public EtcdBackend(Settings settings, FailFast failFast, Function<RegistryState, NodeReport> reporter) {
        this.settings = settings;
        this.failFast = failFast;
        // A request must fail well within a lease renewal interval so the next renewal still comes in time.
        Duration requestTimeout = min(Duration.ofSeconds(5), max(Duration.ofMillis(500), settings.leaseTtl().dividedBy(3)));
        this.client = new EtcdClient(settings.endpoints(), requestTimeout);
        KeySpace keys = new KeySpace(settings.prefix());
        this.registry = new EtcdRegistry(client, keys, outage, settings.deadline(), settings.onInitTimeout(), this::fatal);
        this.node = new NodeRegistration(client, keys, settings.nodeId(), settings.nodeAddress(), settings.leaseTtl(), outage,
                () -> reporter.apply(registry.state()));
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "banyan-etcd-node");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.scheduler = executor;
        scheduler.scheduleWithFixedDelay(node::keepAlive, 0, node.keepAliveInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(node::refresh, REPORT_INTERVAL.toMillis(), REPORT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::checkDeadline, 100, 100, TimeUnit.MILLISECONDS);
        LOG.info("Schema registry backend: etcd {} (prefix {}, deadline {} s), node {} at {}", client.endpoints(),
                keys.prefix(), settings.deadline().toSeconds(), settings.nodeId(), settings.nodeAddress());
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public NodeRegistry nodes() {
        return node;
    }

    private void checkDeadline() {
        Outage.Current current = outage.current();
        if (current == null) {
            return;
        }
        Duration lasted = Duration.between(current.since(), Instant.now());
        if (lasted.compareTo(settings.deadline()) >= 0) {
            fatal(new SchemaException("etcd unreachable for " + lasted.toMillis() / 1000.0 + " s (deadline "
                    + settings.deadline().toSeconds() + " s): " + current.cause().getMessage(), current.cause()));
        }
    }

    /**
     * Reports the first fatal error, once, on a thread of its own: in a server, fail-fast stops the
     * framework (which closes this backend) and never returns.
     */
    private void fatal(Throwable cause) {
        if (!fatal.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdown();
        Thread reporter = new Thread(() -> {
            failFast.fail("schema registry on etcd " + client.endpoints(), cause);
            // Only a recording fail-fast (tests) comes back: release whoever waits for the schema.
            registry.failed(cause);
        }, "banyan-etcd-fatal");
        reporter.setDaemon(true);
        reporter.start();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.close();
        if (!fatal.get()) {
            node.close();
        }
        client.close();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
