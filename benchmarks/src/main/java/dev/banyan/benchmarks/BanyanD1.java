package dev.banyan.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.WriteBatch;

/** D1 through Banyan: measure {@code cpu}, entity {@code host}, tag {@code region}, field {@code value}. */
final class BanyanD1 extends BanyanStore<D1Dataset> {

    static final long HOUR_12 = D1Dataset.START_MILLIS + 12 * 3_600_000L;
    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("value"));

    @Override
    public void ingest(D1Dataset data) {
        SeriesRef[] series = new SeriesRef[D1Dataset.SERIES];
        for (int i = 0; i < D1Dataset.SERIES; i++) {
            series[i] = SeriesRef.of("cpu", Map.of("host", data.hosts[i]), Map.of("region", data.regions[i]));
        }
        WriteBatch batch = new WriteBatch("cpu", FIELDS, D1Dataset.BATCH);
        int k = 0;
        for (int t = 0; t < D1Dataset.TIMESTAMPS; t++) {
            long ts = D1Dataset.timestamp(t);
            for (int i = 0; i < D1Dataset.SERIES; i++) {
                batch.add(series[i], ts, data.values[k++]);
            }
            if (batch.size() >= D1Dataset.BATCH) {
                db.write(batch);
                batch.clear();
            }
        }
        db.write(batch);
    }

    @Override
    public Answer query(int q) {
        return switch (q) {
            case 0 -> q1();
            case 1 -> q2(HOUR_12);
            case 2 -> q3();
            default -> q2(HOUR_12 + 7 * 60_000L);
        };
    }

    private Answer q1() {
        List<SeriesRows> rows = series(Query.of("cpu", new TimeRange(HOUR_12, HOUR_12 + 3_600_000L))
                .where("host", "host_500").fields("value"));
        SeriesRows r = rows.get(0);
        double sum = 0;
        for (int i = 0; i < r.size(); i++) {
            sum += r.doubleValue("value", i);
        }
        return Answer.of("count", r.size(), "sum", sum);
    }

    private Answer q2(long from) {
        Map<String, Double> answer = new HashMap<>();
        for (AggregateRow row : rows(Query.of("cpu", new TimeRange(from, from + 3_600_000L))
                .aggregate(AggregateFunction.AVG, AggregateFunction.MAX).groupBy("host"))) {
            String host = row.group().get("host");
            answer.put(host + " avg", row.doubleValue(AggregateFunction.AVG, "value"));
            answer.put(host + " max", row.doubleValue(AggregateFunction.MAX, "value"));
        }
        return Answer.of(answer);
    }

    private Answer q3() {
        AggregateRow row = rows(Query.of("cpu", TimeRange.all())
                .aggregate(AggregateFunction.COUNT, AggregateFunction.SUM).groupBy()).get(0);
        return Answer.of("count", row.longValue(AggregateFunction.COUNT, "value"), "sum", row.doubleValue(AggregateFunction.SUM, "value"));
    }
}
