package dev.banyan.promql.internal.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
import dev.banyan.promql.internal.PromQLConfig;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.GroupNotServingException;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;

/**
 * The series Prometheus remote write stored in a Banyan group, as PromQL sees them. The http
 * bundle's schemaless ingest owns the layout: a metric is a measure of the group, each label a tag,
 * the whole label set the entity tag {@value #ENTITY_TAG}, the sample value the DOUBLE field
 * {@value #VALUE_FIELD} (staleness markers kept bit-exact). Measures declared otherwise are not
 * Prometheus series and are left out.
 * <p>
 * Equality matchers with a value go to the storage as tag predicates (the metric name picks the
 * measure); the other matchers are applied to the series the storage returns.
 */
@Component(service = SeriesSource.class, configurationPid = PromQLConfig.PID, immediate = true)
@Designate(ocd = PromQLConfig.class)
public final class MeasureSeriesSource implements SeriesSource {

    /** The entity tag of a schemaless measure (the http bundle's SeriesLabels.TAG). */
    static final String ENTITY_TAG = "series-labels";
    /** The field holding a sample's value. */
    static final String VALUE_FIELD = "value";

    private final MeasureService measures;
    private final SchemaRegistry registry;
    private volatile String group;

    @Activate
    public MeasureSeriesSource(@Reference MeasureService measures, @Reference SchemaRegistry registry, PromQLConfig config) {
        this.measures = measures;
        this.registry = registry;
        this.group = config.group();
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
                Labels labels = labels(measure, rows);
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

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        return select(matchers, minTimeMs, maxTimeMs).stream().map(Series::labels).toList();
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
            if (m.entity().equals(List.of(ENTITY_TAG)) && matchers.stream()
                    .filter(x -> x.name().equals(Labels.METRIC_NAME)).allMatch(x -> x.matches(m.name()))) {
                out.add(m);
            }
        }
        return out;
    }

    private List<SeriesRows> read(String g, Measure measure, List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        Query query = Query.of(measure.name(), new TimeRange(minTimeMs, maxTimeMs + 1)).fields(VALUE_FIELD);
        for (LabelMatcher m : matchers) {
            if (m.type() == LabelMatcher.Type.EQUAL && !m.name().equals(Labels.METRIC_NAME)) {
                if (m.value().isEmpty()) {
                    continue; // "absent", checked on the returned series
                }
                if (measure.tags().stream().map(TagSpec::name).noneMatch(m.name()::equals)) {
                    return List.of(); // no series of this metric has that label
                }
                query = query.where(m.name(), m.value());
            }
        }
        try {
            return measures.query(g, query).series();
        } catch (GroupNotServingException e) {
            throw new QueryException(QueryException.ErrorType.UNAVAILABLE, "group " + g + " is not serving: " + e.getMessage(), e);
        }
    }

    private static Labels labels(Measure measure, SeriesRows rows) {
        Map<String, String> labels = new TreeMap<>();
        rows.tags().forEach((tag, value) -> {
            if (!tag.equals(ENTITY_TAG)) {
                labels.put(tag, value);
            }
        });
        labels.put(Labels.METRIC_NAME, measure.name());
        return Labels.of(labels);
    }
}
