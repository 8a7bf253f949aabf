package dev.banyan.benchmarks;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.WriteBatch;

/** D1 through Banyan: measure {@code cpu}, entity {@code host}, tag {@code region}, field {@code value}. */
final class BanyanD1 extends BanyanStore<D1Dataset> {

    static final long HOUR_12 = D1Dataset.START_MILLIS + 12 * 3_600_000L;
    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("value"));

    @Override
    protected String measure() {
        return "cpu";
    }

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
            case 0 -> rowsAndSum(Query.of("cpu", new TimeRange(HOUR_12, HOUR_12 + 3_600_000L)).where("host", "host_500")
                    .fields("value"));
            case 1 -> q2(HOUR_12);
            case 2 -> countSum(TimeRange.all());
            default -> q2(HOUR_12 + 7 * 60_000L);
        };
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
}
