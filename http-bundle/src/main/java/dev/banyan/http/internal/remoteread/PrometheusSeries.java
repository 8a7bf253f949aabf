package dev.banyan.http.internal.remoteread;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.LabelMatcher;
import dev.banyan.http.internal.prompb.Sample;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.http.internal.remotewrite.PrometheusNames;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.server.api.MeasureService;
import dev.banyan.server.api.SchemalessLayout;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TimeRange;

/**
 * The series remote write stored, as Prometheus sees them: each measure of a group that
 * {@link SchemalessLayout#isPrometheusMetric} is a metric, its {@link SchemalessLayout#labels} the
 * labels, {@code __name__} the measure's name. Matchers on {@code __name__} pick the measures (from the
 * registry); the others go to the storage as {@link TagMatcher}s, which it answers through its
 * postings index. A matcher on a name that is not a Prometheus label name matches as an absent
 * label. Samples come back bit-exact (staleness markers included).
 */
@Component(service = PrometheusSeries.class)
public final class PrometheusSeries {

    /** What is left of a request's sample limit. */
    public static final class Budget {
        private final long limit;
        private long left;

        public Budget(long limit) {
            this.limit = limit;
            this.left = limit;
        }

        void spend(long samples, String where) {
            left -= samples;
            if (left < 0) {
                throw ApiException.badData(where + ": the answer would hold more than " + limit + " samples (maxReadSamples "
                        + "in etc/dev.banyan.http.cfg); narrow the time range or the matchers");
            }
        }
    }

    private final SchemaRegistry registry;
    private final MeasureService measures;

    @Activate
    public PrometheusSeries(@Reference SchemaRegistry registry, @Reference MeasureService measures) {
        this.registry = registry;
        this.measures = measures;
    }

    /**
     * The series of {@code group} matching every matcher, with their samples in [{@code startMs},
     * {@code endMs}] (both included, as Prometheus's queriers), sorted by labels.
     *
     * @throws ApiException 400 for an invalid regular expression or when the budget runs out
     */
    public List<TimeSeries> select(String group, List<LabelMatcher> matchers, long startMs, long endMs, Budget budget,
            String where) {
        List<TagMatcher> names = new ArrayList<>();
        List<TagMatcher> labels = new ArrayList<>();
        for (LabelMatcher matcher : matchers) {
            TagMatcher condition = condition(matcher, where);
            if (matcher.getName().equals(PrometheusNames.METRIC_NAME_LABEL)) {
                names.add(condition);
            } else if (PrometheusNames.isLabelName(matcher.getName())) {
                labels.add(condition);
            } else if (!condition.matches("")) {
                return List.of(); // no series carries a label of that name
            }
        }
        TimeRange range = new TimeRange(startMs, endMs == Long.MAX_VALUE ? Long.MAX_VALUE : endMs + 1);
        List<TimeSeries> found = new ArrayList<>();
        for (Measure measure : metrics(group, names)) {
            Query query = Query.of(measure.name(), range).fields(SchemalessLayout.VALUE_FIELD).match(labels.toArray(new TagMatcher[0]));
            for (SeriesRows rows : measures.query(group, query).series()) {
                if (rows.size() == 0) {
                    continue;
                }
                budget.spend(rows.size(), where);
                found.add(series(measure.name(), rows));
            }
        }
        found.sort(PrometheusSeries::compareLabels);
        return found;
    }

    /** Label sets (sorted by name) label by label: name, then value; a prefix first. */
    private static int compareLabels(TimeSeries a, TimeSeries b) {
        for (int i = 0; i < Math.min(a.getLabelsCount(), b.getLabelsCount()); i++) {
            Label x = a.getLabels(i);
            Label y = b.getLabels(i);
            int c = x.getName().compareTo(y.getName());
            if (c == 0) {
                c = x.getValue().compareTo(y.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getLabelsCount(), b.getLabelsCount());
    }

    /** Whether the registry has {@code group}. */
    public boolean groupExists(String group) {
        return registry.getGroup(group).isPresent();
    }

    /** The group's Prometheus metrics whose names satisfy every {@code __name__} matcher. */
    private List<Measure> metrics(String group, List<TagMatcher> names) {
        if (registry.getGroup(group).isEmpty()) {
            return List.of();
        }
        Optional<TagMatcher> exact = names.stream().filter(m -> m.op() == TagMatcher.Op.EQUAL).findFirst();
        List<Measure> candidates = exact.isPresent()
                ? registry.getMeasure(group, exact.get().value()).map(List::of).orElse(List.of())
                : registry.listMeasures(group);
        return candidates.stream().filter(SchemalessLayout::isPrometheusMetric).filter(m -> names.stream().allMatch(n -> n.matches(m.name())))
                .toList();
    }

    private static TimeSeries series(String metric, SeriesRows rows) {
        SortedMap<String, String> labels = SchemalessLayout.labels(rows.tags());
        labels.put(PrometheusNames.METRIC_NAME_LABEL, metric);
        TimeSeries.Builder series = TimeSeries.newBuilder();
        for (Map.Entry<String, String> label : labels.entrySet()) {
            series.addLabels(Label.newBuilder().setName(label.getKey()).setValue(label.getValue()));
        }
        for (int i = 0; i < rows.size(); i++) {
            series.addSamples(Sample.newBuilder().setTimestamp(rows.timestamps()[i]).setValue(rows.doubleValue(SchemalessLayout.VALUE_FIELD, i)));
        }
        return series.build();
    }

    private static TagMatcher condition(LabelMatcher matcher, String where) {
        TagMatcher.Op op = switch (matcher.getType()) {
            case EQ -> TagMatcher.Op.EQUAL;
            case NEQ -> TagMatcher.Op.NOT_EQUAL;
            case RE -> TagMatcher.Op.REGEX;
            case NRE -> TagMatcher.Op.NOT_REGEX;
            default -> throw ApiException.badData(where + ": unknown matcher type " + matcher.getTypeValue());
        };
        try {
            return TagMatcher.of(matcher.getName(), op, matcher.getValue());
        } catch (IllegalArgumentException e) {
            throw ApiException.badData(where + ": matcher " + matcher.getName() + op.symbol() + "\"" + matcher.getValue()
                    + "\" is not a valid RE2 regular expression: " + e.getMessage());
        }
    }
}
