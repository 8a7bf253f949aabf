package dev.banyan.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.WriteBatch;

/** D3 through Banyan: measure {@code m}, entity {@code host}, the six other tags, field {@code value}. */
final class BanyanD3 extends BanyanStore<D3Dataset> {

    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("value"));
    static final TimeRange Q7_RANGE = new TimeRange(D3Dataset.START_MILLIS + 5 * 60_000L, D3Dataset.START_MILLIS + 6 * 60_000L);
    static final Pattern Q8_HOSTS = Pattern.compile("host_1[0-9]*7");

    @Override
    protected String measure() {
        return "m";
    }

    @Override
    public void ingest(D3Dataset data) {
        SeriesRef[] series = new SeriesRef[D3Dataset.SERIES];
        for (int i = 0; i < D3Dataset.SERIES; i++) {
            Map<String, String> tags = new LinkedHashMap<>();
            for (int t = 1; t < D3Dataset.TAG_NAMES.length; t++) {
                tags.put(D3Dataset.TAG_NAMES[t], data.tags[t][i]);
            }
            series[i] = SeriesRef.of("m", Map.of("host", data.tags[0][i]), tags);
        }
        WriteBatch batch = new WriteBatch("m", FIELDS, D3Dataset.BATCH);
        for (int p = 0; p < D3Dataset.POINTS; p++) {
            batch.add(series[data.series[p]], D3Dataset.timestamp(data.timestamp[p]), data.values[p]);
            if (batch.size() == D3Dataset.BATCH) {
                db.write(batch);
                batch.clear();
            }
        }
        if (batch.size() > 0) {
            db.write(batch);
        }
    }

    @Override
    public Answer query(int q) {
        return switch (q) {
            case 0 -> rowsAndSum(Query.of("m", TimeRange.all()).where("host", "host_123457").fields("value"));
            case 1 -> perGroup(Query.of("m", TimeRange.all()).aggregate(AggregateFunction.AVG).groupBy("region"), "region",
                    AggregateFunction.AVG);
            case 2 -> countSum(TimeRange.all());
            case 3 -> perGroup(Query.of("m", Q7_RANGE).aggregate(AggregateFunction.MAX).groupBy("rack"), "rack",
                    AggregateFunction.MAX);
            default -> q8();
        };
    }

    private Answer perGroup(Query query, String tag, AggregateFunction function) {
        Map<String, Double> answer = new HashMap<>();
        for (AggregateRow row : rows(query)) {
            answer.put(row.group().get(tag), row.doubleValue(function, "value"));
        }
        return Answer.of(answer);
    }

    /** The regex selects series through the postings (every distinct host tested once), then sums per service. */
    private Answer q8() {
        return perGroup(Query.of("m", TimeRange.all()).match(TagMatcher.of("host", TagMatcher.Op.REGEX, Q8_HOSTS.pattern()))
                .aggregate(AggregateFunction.SUM).groupBy("service"), "service", AggregateFunction.SUM);
    }
}
