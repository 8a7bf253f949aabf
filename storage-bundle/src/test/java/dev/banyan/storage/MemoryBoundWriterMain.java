package dev.banyan.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * Child-JVM writer for the memory-budget tests (run with the shipped server's {@code -Xmx512m}):
 * writes one input shape into a one-shard group with the default engine settings, closes (every
 * point into parts), reopens and prints {@code COUNT <points>}. Shapes: {@code wide} = 100,000
 * series x 100 points, time-major; {@code long} = one series of 20,000,000 points, 1 ms apart.
 */
public final class MemoryBoundWriterMain {

    static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("v"));
    static final long BASE = StorageFixture.local(2024, 1, 1, 0, 0, 0);
    static final int BATCH = 10_000;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String shape = args[1];
        long started = System.nanoTime();
        long written = 0;
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE));
                Tsdb db = engine.open("mem", OPTIONS)) {
            WriteBatch batch = new WriteBatch("m", FIELDS, BATCH);
            if (shape.equals("wide")) {
                int series = 100_000;
                SeriesRef[] refs = new SeriesRef[series];
                for (int s = 0; s < series; s++) {
                    refs[s] = SeriesRef.of("m", Map.of("host", "host-" + s), Map.of());
                }
                for (int t = 0; t < 100; t++) {
                    for (int s = 0; s < series; s++) {
                        batch.add(refs[s], BASE + t * 10_000L, (double) (s + t));
                        if (batch.size() == BATCH) {
                            db.write(batch);
                            written += batch.size();
                            batch.clear();
                        }
                    }
                }
            } else {
                SeriesRef ref = SeriesRef.of("m", "host", "only");
                for (long i = 0; i < 20_000_000L; i++) {
                    batch.add(ref, BASE + i, (double) (i % 1000));
                    if (batch.size() == BATCH) {
                        db.write(batch);
                        written += batch.size();
                        batch.clear();
                    }
                }
            }
            if (batch.size() > 0) {
                db.write(batch);
                written += batch.size();
            }
            System.out.println("WRITTEN " + written + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        System.out.println("CLOSED after " + (System.nanoTime() - started) / 1_000_000 + " ms");
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE));
                Tsdb db = engine.open("mem", OPTIONS)) {
            long count = db.query(Query.of("m", TimeRange.all()).aggregate(AggregateFunction.COUNT).groupBy()).rows()
                    .stream().mapToLong(r -> r.longValue(AggregateFunction.COUNT, "v")).sum();
            System.out.println("COUNT " + count);
        }
        System.out.println("DONE after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }
}
