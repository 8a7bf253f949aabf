package dev.banyan.promql.internal.storage;

import static dev.banyan.server.api.SchemalessLayout.VALUE_FIELD;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;
import dev.banyan.promql.api.WindowStats;
import dev.banyan.promql.internal.PromQLConfig;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.GroupNotServingException;
import dev.banyan.server.api.MeasureService;
import dev.banyan.server.api.SchemalessLayout;
import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TimeRange;

/**
 * The series Prometheus remote write stored in a Banyan group, as PromQL sees them, in the layout
 * {@link SchemalessLayout} owns: a metric is a measure of the group that
 * {@link SchemalessLayout#isPrometheusMetric}, its labels {@link SchemalessLayout#labels}, each
 * sample the DOUBLE field {@value SchemalessLayout#VALUE_FIELD} (staleness markers kept bit-exact).
 * Measures declared otherwise are not Prometheus series and are left out.
 * <p>
 * Equality matchers with a value go to the storage as tag predicates (the metric name picks the
 * measure); the other matchers are applied to the series the storage returns.
 */
@Component(service = SeriesSource.class, configurationPid = PromQLConfig.PID, immediate = true)
@Designate(ocd = PromQLConfig.class)
public final class MeasureSeriesSource implements SeriesSource {

    private final MeasureService measures;
    private final SchemaRegistry registry;
    private volatile String group;
    /** Called before each storage read (see {@link #checking}); does nothing for the shared service. */
    private final Runnable deadline;

    @Activate
    public MeasureSeriesSource(@Reference MeasureService measures, @Reference SchemaRegistry registry, PromQLConfig config) {
        this(measures, registry, config.group(), () -> { });
    }

    private MeasureSeriesSource(MeasureService measures, SchemaRegistry registry, String group, Runnable deadline) {
        this.measures = measures;
        this.registry = registry;
        this.group = group;
        this.deadline = deadline;
    }

    /** A view of this source for one query: its group as now, {@code deadline} checked before each storage read. */
    @Override
    public SeriesSource checking(Runnable deadline) {
        return new MeasureSeriesSource(measures, registry, group, deadline);
    }

    @Modified
    void modified(PromQLConfig config) {
        this.group = config.group();
    }

    @Override
    public List<Series> select(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        List<Series> out = new ArrayList<>();
        String g = group;
        for (Measure measure : candidates(g, matchers)) {
            for (SeriesRows rows : read(g, measure, matchers, minTimeMs, maxTimeMs)) {
                Labels labels = labels(measure, rows.tags());
                if (matchers.stream().allMatch(m -> m.matches(labels)) && rows.size() > 0) {
                    double[] values = new double[rows.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = rows.doubleValue(VALUE_FIELD, i);
                    }
                    out.add(new Series(labels, rows.timestamps(), values));
                }
            }
        }
        return out;
    }

    /**
     * The series with a sample in the range, from an aggregate (count) query per measure: the storage
     * answers whole blocks from their statistics, so no sample is decoded for them.
     */
    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        List<Labels> out = new ArrayList<>();
        String g = group;
        for (Measure measure : candidates(g, matchers)) {
            Query query = Query.of(measure.name(), new TimeRange(minTimeMs, maxTimeMs + 1)).fields(VALUE_FIELD)
                    .aggregate(AggregateFunction.COUNT);
            for (AggregateRow row : run(g, withEqualities(query, measure, matchers))) {
                Labels labels = labels(measure, row.group());
                if (matchers.stream().allMatch(m -> m.matches(labels))) {
                    out.add(labels);
                }
            }
        }
        return out;
    }

    /**
     * Per-window count, sum, min and max from the storage's aggregate queries, which answer whole
     * blocks from their statistics without decoding them. A window holding a NaN has a NaN sum (the
     * storage's rule), so the engine reads that window's samples instead.
     */
    @Override
    public List<WindowStats> windowStats(List<LabelMatcher> matchers, long[] windowEnds, long rangeMs) {
        String g = group;
        Map<Labels, WindowStats> byLabels = new LinkedHashMap<>();
        int n = windowEnds.length;
        for (Measure measure : candidates(g, matchers)) {
            for (int w = 0; w < n; w++) {
                Query query = Query.of(measure.name(), new TimeRange(windowEnds[w] - rangeMs, windowEnds[w] + 1))
                        .fields(VALUE_FIELD).aggregate(AggregateFunction.COUNT, AggregateFunction.SUM,
                                AggregateFunction.MIN, AggregateFunction.MAX);
                for (AggregateRow row : run(g, withEqualities(query, measure, matchers))) {
                    Labels labels = labels(measure, row.group());
                    if (!matchers.stream().allMatch(m -> m.matches(labels))) {
                        continue;
                    }
                    WindowStats stats = byLabels.computeIfAbsent(labels, l -> new WindowStats(l, new long[n], new double[n],
                            new double[n], new double[n]));
                    Number count = row.values().get(AggregateFunction.COUNT.column(VALUE_FIELD));
                    Number sum = row.values().get(AggregateFunction.SUM.column(VALUE_FIELD));
                    Number min = row.values().get(AggregateFunction.MIN.column(VALUE_FIELD));
                    Number max = row.values().get(AggregateFunction.MAX.column(VALUE_FIELD));
                    stats.counts()[w] = count.longValue();
                    stats.sums()[w] = sum.doubleValue();
                    stats.mins()[w] = min.doubleValue();
                    stats.maxs()[w] = max.doubleValue();
                }
            }
        }
        return List.copyOf(byLabels.values());
    }

    /** The schemaless measures whose name the matchers allow. */
    private List<Measure> candidates(String g, List<LabelMatcher> matchers) {
        Optional<LabelMatcher> byName = matchers.stream()
                .filter(m -> m.name().equals(Labels.METRIC_NAME) && m.type() == LabelMatcher.Type.EQUAL).findFirst();
        List<Measure> all = byName.isPresent()
                ? registry.getMeasure(g, byName.get().value()).map(List::of).orElse(List.of())
                : registry.listMeasures(g);
        List<Measure> out = new ArrayList<>();
        for (Measure m : all) {
            if (SchemalessLayout.isPrometheusMetric(m) && matchers.stream()
                    .filter(x -> x.name().equals(Labels.METRIC_NAME)).allMatch(x -> x.matches(m.name()))) {
                out.add(m);
            }
        }
        return out;
    }

    private List<SeriesRows> read(String g, Measure measure, List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        Query query = withEqualities(Query.of(measure.name(), new TimeRange(minTimeMs, maxTimeMs + 1)).fields(VALUE_FIELD),
                measure, matchers);
        return query == null ? List.of() : call(g, () -> measures.query(g, query).series());
    }

    private List<AggregateRow> run(String g, Query query) {
        return query == null ? List.of() : call(g, () -> measures.query(g, query).rows());
    }

    /**
     * {@code query} restricted by the matchers on the measure's tags, so the storage selects the series
     * through its postings instead of returning every series of the measure; null if an equality
     * names a label the measure lacks (no series has it). Matchers on {@code __name__}, on the entity
     * tag and on labels the measure lacks stay with the caller's check of each series' labels.
     */
    private static Query withEqualities(Query query, Measure measure, List<LabelMatcher> matchers) {
        for (LabelMatcher m : matchers) {
            if (m.name().equals(Labels.METRIC_NAME) || m.name().equals(SchemalessLayout.ENTITY_TAG)) {
                continue;
            }
            boolean declared = measure.tags().stream().map(TagSpec::name).anyMatch(m.name()::equals);
            if (m.type() == LabelMatcher.Type.EQUAL && !m.value().isEmpty()) {
                if (!declared) {
                    return null; // no series of this metric has that label
                }
                query = query.where(m.name(), m.value());
            } else if (declared) {
                // Both sides read an absent label as "" and compile RE2 the same way (LabelMatcher#compile).
                query = query.match(TagMatcher.of(m.name(), TagMatcher.Op.valueOf(m.type().name()), m.value()));
            }
        }
        return query;
    }

    private <T> T call(String g, java.util.function.Supplier<T> storage) {
        deadline.run();
        try {
            return storage.get();
        } catch (GroupNotServingException e) {
            throw new QueryException(QueryException.ErrorType.UNAVAILABLE, "group " + g + " is not serving: " + e.getMessage(), e);
        }
    }

    private static Labels labels(Measure measure, Map<String, String> tags) {
        Map<String, String> labels = SchemalessLayout.labels(tags);
        labels.put(Labels.METRIC_NAME, measure.name());
        return Labels.of(labels);
    }
}
