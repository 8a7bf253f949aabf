package dev.banyan.benchmarks;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * Banyan's storage engine, embedded: one group, DAY segments, one shard, no rotation or retention.
 * Default durability is {@link Durability#OS} (acknowledged once the OS has the log bytes),
 * durable is {@link Durability#FSYNC} (one fsync'd log record per batch).
 */
abstract class BanyanStore<D> implements Engine<D> {

    private TsdbEngine engine;
    protected Tsdb db;

    @Override
    public String name() {
        return "Banyan";
    }

    @Override
    public void open(Path dir, boolean durable) {
        engine = new TsdbEngine(dir, StorageVersions.bundled(), Clock.system(ZoneOffset.UTC));
        TsdbOptions options = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(36_500), 1)
                .withRotation(false).withRetention(false).withDurability(durable ? Durability.FSYNC : Durability.OS);
        db = engine.open("bench", options);
    }

    @Override
    public void reopen(Path dir) {
        open(dir, false);
    }

    protected List<AggregateRow> rows(Query query) {
        return db.query(query).rows();
    }

    /** The number of points of the one series a raw query selects, and the sum of their {@code value}. */
    protected Answer rowsAndSum(Query query) {
        List<SeriesRows> series = db.query(query).series();
        Measure.check(series.size() == 1, "expected one series, got " + series.size());
        SeriesRows r = series.get(0);
        double sum = 0;
        for (int i = 0; i < r.size(); i++) {
            sum += r.doubleValue("value", i);
        }
        return Answer.of("count", r.size(), "sum", sum);
    }

    /** Count and sum of {@code value} over everything in {@code range}. */
    protected Answer countSum(TimeRange range) {
        AggregateRow row = rows(Query.of(measure(), range).aggregate(AggregateFunction.COUNT, AggregateFunction.SUM).groupBy()).get(0);
        return Answer.of("count", row.longValue(AggregateFunction.COUNT, "value"), "sum",
                row.doubleValue(AggregateFunction.SUM, "value"));
    }

    /** The measure the data set is written to. */
    protected abstract String measure();

    @Override
    public void close() {
        if (db != null) {
            db.close();
            engine.close();
            db = null;
        }
    }
}
