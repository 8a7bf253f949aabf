package dev.banyan.http.internal.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.RepositoryCounters;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.storage.api.StorageCounters;
import dev.banyan.storage.api.StorageEngine;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The metrics {@code /metrics} exposes, kept with the Prometheus Java client:
 * <ul>
 * <li>{@code banyan_http_requests_total{endpoint,code}}, {@code banyan_http_request_duration_seconds{endpoint}}
 * (a classic histogram), {@code banyan_http_auth_failures_total};</li>
 * <li>{@code banyan_http_samples_written_total{protocol}}: acknowledged samples (remote write) and field
 * values (InfluxDB line protocol);</li>
 * <li>the storage counters ({@code banyan_storage_rotations_started_total}, ... the same as JMX
 * {@code dev.banyan:type=Storage}), the repository counters ({@code banyan_repository_errors_total},
 * {@code _retries_total}, {@code _panics_total}, as JMX {@code dev.banyan:type=SchemaRepository}) and
 * {@code banyan_groups{state}}, read at each scrape;</li>
 * <li>the JVM's memory and threads under the Prometheus Java client's names ({@code jvm_memory_used_bytes{area="heap"}},
 * {@code jvm_memory_committed_bytes}, {@code jvm_memory_max_bytes}, {@code jvm_threads_current}), read from the
 * platform MXBeans (the client's own JVM module needs {@code com.sun.management}, which Karaf does not export).</li>
 * </ul>
 */
@Component(service = HttpMetrics.class)
public final class HttpMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Counter authFailures;
    private final Counter samples;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StorageEngine storage;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchemaRepository repository;

    public HttpMetrics() {
        requests = Counter.builder().name("banyan_http_requests_total").help("HTTP requests answered, by endpoint and status code")
                .labelNames("endpoint", "code").withoutExemplars().register(registry);
        latency = Histogram.builder().name("banyan_http_request_duration_seconds").help("HTTP request latency by endpoint")
                .labelNames("endpoint").classicOnly().withoutExemplars().register(registry);
        authFailures = Counter.builder().name("banyan_http_auth_failures_total")
                .help("Requests refused with 401 (no or wrong credentials)").withoutExemplars().register(registry);
        samples = Counter.builder().name("banyan_http_samples_written_total")
                .help("Samples (field values) acknowledged to clients, by protocol").labelNames("protocol").withoutExemplars()
                .register(registry);
        registry.register(this::banyanSnapshots);
        registry.register(HttpMetrics::jvmSnapshots);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** Records one answered request; {@code endpoint} is the servlet's pattern (bounded). */
    public void requestDone(String endpoint, int status, long nanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe(nanos / 1e9);
    }

    public void authFailed() {
        authFailures.inc();
    }

    public void samplesWritten(String protocol, long count) {
        samples.labelValues(protocol).inc(count);
    }

    private MetricSnapshots banyanSnapshots() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        StorageEngine engine = storage;
        if (engine != null) {
            StorageCounters c = engine.counters();
            snapshots.add(counter("banyan_storage_rotations_started", "Segment rotations started", c.rotationsStarted()));
            snapshots.add(counter("banyan_storage_rotations_finished", "Segment rotations finished", c.rotationsFinished()));
            snapshots.add(counter("banyan_storage_rotation_errors", "Segment rotations failed", c.rotationErrors()));
            snapshots.add(counter("banyan_storage_retentions_started", "Retention runs started", c.retentionsStarted()));
            snapshots.add(counter("banyan_storage_retentions_finished", "Retention runs finished", c.retentionsFinished()));
            snapshots.add(counter("banyan_storage_retention_errors", "Retention runs failed", c.retentionErrors()));
        }
        SchemaRepository schema = repository;
        if (schema != null) {
            RepositoryCounters c = schema.counters();
            snapshots.add(counter("banyan_repository_errors", "Schema events that failed", c.errors()));
            snapshots.add(counter("banyan_repository_retries", "Schema events queued for retry", c.retries()));
            snapshots.add(counter("banyan_repository_panics", "Unexpected throwables met by retry workers", c.panics()));
            Map<GroupStatus.State, Integer> states = new EnumMap<>(GroupStatus.State.class);
            for (GroupStatus.State state : GroupStatus.State.values()) {
                states.put(state, 0);
            }
            schema.status().forEach(s -> states.merge(s.state(), 1, Integer::sum));
            GaugeSnapshot.Builder groups = GaugeSnapshot.builder().name("banyan_groups").help("Groups of the registry by state");
            states.forEach((state, n) -> groups.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("state", state.name())).value(n).build()));
            snapshots.add(groups.build());
        }
        return new MetricSnapshots(snapshots);
    }

    private static MetricSnapshots jvmSnapshots() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        return new MetricSnapshots(
                byArea("jvm_memory_used_bytes", "Used memory by area", heap.getUsed(), nonHeap.getUsed()),
                byArea("jvm_memory_committed_bytes", "Committed memory by area", heap.getCommitted(), nonHeap.getCommitted()),
                byArea("jvm_memory_max_bytes", "Most memory by area (-1: no limit)", heap.getMax(), nonHeap.getMax()),
                GaugeSnapshot.builder().name("jvm_threads_current").help("Live threads")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .value(ManagementFactory.getThreadMXBean().getThreadCount()).build())
                        .build());
    }

    private static GaugeSnapshot byArea(String name, String help, long heap, long nonHeap) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("area", "heap")).value(heap).build())
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("area", "nonheap")).value(nonHeap).build())
                .build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
