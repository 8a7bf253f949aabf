package dev.banyan.benchmarks;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
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

    protected List<SeriesRows> series(Query query) {
        return db.query(query).series();
    }

    protected List<AggregateRow> rows(Query query) {
        return db.query(query).rows();
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            engine.close();
            db = null;
        }
    }
}
