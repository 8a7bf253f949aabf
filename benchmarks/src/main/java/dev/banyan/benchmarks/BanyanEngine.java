package dev.banyan.benchmarks;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** Banyan's storage engine, embedded: one group, DAY segments, one shard, data in UTC days. */
final class BanyanEngine implements Engine {

    static final long HOUR_12 = D1Dataset.START_MILLIS + 12 * 3_600_000L;
    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("value"));

    private TsdbEngine engine;
    private Tsdb db;

    @Override
    public String name() {
        return "Banyan";
    }

    @Override
    public void open(Path dir, boolean durable) {
        engine = new TsdbEngine(dir, StorageVersions.bundled(), Clock.system(ZoneOffset.UTC));
        TsdbOptions options = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(36_500), 1)
                .withRotation(false).withRetention(false).withDurability(durable ? Durability.FSYNC : Durability.OS);
        db = engine.open("d1", options);
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

    /** Makes every point durable in parts (as after a restart); the WAL is gone afterwards. */
    void flush() {
        db.flush();
    }

    @Override
    public double q1() {
        List<SeriesRows> rows = db.query(Query.of("cpu", new TimeRange(HOUR_12, HOUR_12 + 3_600_000L))
                .where("host", "host_500").fields("value")).series();
        SeriesRows r = rows.get(0);
        check(r.size() == 360, "q1 returned " + r.size() + " points");
        double sum = 0;
        for (int i = 0; i < r.size(); i++) {
            sum += r.doubleValue("value", i);
        }
        return sum;
    }

    @Override
    public double q2() {
        return q2(HOUR_12);
    }

    @Override
    public double q2Unaligned() {
        return q2(HOUR_12 + 7 * 60_000L);
    }

    private double q2(long from) {
        List<AggregateRow> rows = db.query(Query.of("cpu", new TimeRange(from, from + 3_600_000L))
                .aggregate(AggregateFunction.AVG, AggregateFunction.MAX).groupBy("host")).rows();
        check(rows.size() == 1000, "q2 returned " + rows.size() + " rows");
        double sum = 0;
        for (AggregateRow row : rows) {
            sum += row.doubleValue(AggregateFunction.AVG, "value") + row.doubleValue(AggregateFunction.MAX, "value");
        }
        return sum;
    }

    @Override
    public double[] q3() {
        AggregateRow row = db.query(Query.of("cpu", TimeRange.all())
                .aggregate(AggregateFunction.COUNT, AggregateFunction.SUM).groupBy()).rows().get(0);
        return new double[] {row.longValue(AggregateFunction.COUNT, "value"), row.doubleValue(AggregateFunction.SUM, "value")};
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            engine.close();
            db = null;
        }
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
