package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.utc;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** [S16][S17] Writing points and reading them back, raw and aggregated, from memory and from parts. */
public class WriteQueryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 2)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    private static final long T0 = utc(2024, 1, 1, 0, 0, 0);

    /** A small flush threshold forces parts and merges with little data. */
    private TsdbEngine engine(long flushThreshold) {
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), flushThreshold);
    }

    private static SeriesRef host(int i) {
        return SeriesRef.of("cpu", Map.of("host", "host_" + i), Map.of("region", "region_" + (i % 2)));
    }

    /** 4 hosts x 2 days at 1-minute steps; value = host index * 1000 + minute of the run. */
    private static void writeTwoDays(Tsdb db) {
        WriteBatch batch = new WriteBatch("cpu", VALUE, 1000);
        for (int minute = 0; minute < 2 * 24 * 60; minute++) {
            for (int h = 0; h < 4; h++) {
                batch.add(host(h), T0 + minute * 60_000L, h * 1000 + minute);
            }
            if (batch.size() >= 1000) {
                db.write(batch);
                batch.clear();
            }
        }
        db.write(batch);
    }

    @Test
    public void s17_rawQueryBySeriesAndRangeFromMemoryPartsAndAcrossSegments() {
        for (long threshold : new long[] {1_000_000, 500, 37}) {
            try (TsdbEngine engine = engine(threshold); Tsdb db = engine.open("g" + threshold, OPTIONS)) {
                writeTwoDays(db);
                long from = T0 + (24 * 60 - 5) * 60_000L;
                QueryResult result = db.query(Query.of("cpu", new TimeRange(from, from + 10 * 60_000L)).where("host", "host_2"));
                assertEquals("threshold " + threshold, 1, result.series().size());
                SeriesRows rows = result.series().get(0);
                assertEquals(Map.of("host", "host_2", "region", "region_0"), rows.tags());
                assertEquals("10 minutes across the day boundary (two segments)", 10, rows.size());
                for (int i = 0; i < 10; i++) {
                    assertEquals(from + i * 60_000L, rows.timestamps()[i]);
                    assertEquals(2000 + 24 * 60 - 5 + i, rows.doubleValue("value", i), 0);
                }
                assertEquals(2, db.segments().size());
            }
        }
    }

    @Test
    public void s17_aggregatesPerSeriesPerTagGroupAndOverall() {
        try (TsdbEngine engine = engine(300); Tsdb db = engine.open("g1", OPTIONS)) {
            writeTwoDays(db);
            TimeRange all = TimeRange.all();
            List<AggregateRow> perSeries = db.query(Query.of("cpu", all).aggregate(AggregateFunction.COUNT,
                    AggregateFunction.MIN, AggregateFunction.MAX, AggregateFunction.AVG)).rows();
            assertEquals(4, perSeries.size());
            AggregateRow h1 = perSeries.get(1);
            assertEquals(Map.of("host", "host_1", "region", "region_1"), h1.group());
            assertEquals(2880, h1.longValue(AggregateFunction.COUNT, "value"), 0);
            assertEquals(1000, h1.doubleValue(AggregateFunction.MIN, "value"), 0);
            assertEquals(1000 + 2879, h1.doubleValue(AggregateFunction.MAX, "value"), 0);
            assertEquals(1000 + 2879 / 2.0, h1.doubleValue(AggregateFunction.AVG, "value"), 1e-9);

            List<AggregateRow> byRegion = db.query(Query.of("cpu", all).aggregate(AggregateFunction.SUM).groupBy("region")).rows();
            assertEquals(2, byRegion.size());
            double minutes = 2879.0 * 2880 / 2;
            assertEquals(Map.of("region", "region_0"), byRegion.get(0).group());
            assertEquals((0 + 2000) * 2880 + 2 * minutes, byRegion.get(0).doubleValue(AggregateFunction.SUM, "value"), 1e-6);

            List<AggregateRow> overall = db.query(Query.of("cpu", all).aggregate(AggregateFunction.COUNT).groupBy()).rows();
            assertEquals(1, overall.size());
            assertEquals(4 * 2880, overall.get(0).longValue(AggregateFunction.COUNT, "value"), 0);
        }
    }

    @Test
    public void s17_timeBucketsSplitAggregates() {
        try (TsdbEngine engine = engine(1000); Tsdb db = engine.open("g1", OPTIONS)) {
            writeTwoDays(db);
            long hour = 3_600_000L;
            List<AggregateRow> rows = db.query(Query.of("cpu", new TimeRange(T0, T0 + 3 * hour)).where("host", "host_0")
                    .aggregate(AggregateFunction.COUNT, AggregateFunction.AVG).bucket(hour)).rows();
            assertEquals(3, rows.size());
            for (int b = 0; b < 3; b++) {
                assertEquals(T0 + b * hour, rows.get(b).bucketStart());
                assertEquals(60, rows.get(b).longValue(AggregateFunction.COUNT, "value"), 0);
                assertEquals(b * 60 + 29.5, rows.get(b).doubleValue(AggregateFunction.AVG, "value"), 1e-9);
            }
        }
    }

    @Test
    public void s17_lastWriteWinsInMemoryInPartsAndAfterMerges() {
        for (long threshold : new long[] {1_000_000, 3}) {
            try (TsdbEngine engine = engine(threshold); Tsdb db = engine.open("lww" + threshold, OPTIONS)) {
                SeriesRef s = host(0);
                for (int round = 0; round < 12; round++) {
                    WriteBatch batch = new WriteBatch("cpu", VALUE, 4);
                    // Out of order, with the same timestamps rewritten every round.
                    batch.add(s, T0 + 3000, round).add(s, T0 + 1000, round).add(s, T0 + 2000, round);
                    db.write(batch);
                }
                db.write(new WriteBatch("cpu", VALUE, 1).add(s, T0 + 2000, 99.5));
                SeriesRows rows = db.query(Query.of("cpu", TimeRange.all())).series().get(0);
                assertEquals("threshold " + threshold, 3, rows.size());
                assertEquals(T0 + 1000, rows.timestamps()[0]);
                assertEquals(11, rows.doubleValue("value", 0), 0);
                assertEquals(99.5, rows.doubleValue("value", 1), 0);
                assertEquals(11, rows.doubleValue("value", 2), 0);
                List<AggregateRow> agg = db.query(Query.of("cpu", TimeRange.all()).aggregate(AggregateFunction.COUNT,
                        AggregateFunction.SUM)).rows();
                assertEquals("duplicates never counted twice", 3, agg.get(0).longValue(AggregateFunction.COUNT, "value"), 0);
                assertEquals(121.5, agg.get(0).doubleValue(AggregateFunction.SUM, "value"), 0);
            }
        }
    }

    @Test
    public void dataSurvivesCloseAndReopenAndMergesKeepPartCountBounded() throws Exception {
        try (TsdbEngine engine = engine(200); Tsdb db = engine.open("g1", OPTIONS)) {
            writeTwoDays(db);
        }
        try (Stream<Path> files = Files.walk(tmp.getRoot().toPath())) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue("no log left after a clean close: " + names, names.stream().noneMatch(n -> n.startsWith("wal-")));
            long partsPerShard = names.stream().filter(n -> n.startsWith("part-")).count();
            assertTrue("merges bound the part count: " + partsPerShard, partsPerShard <= 2 * 2 * 9);
        }
        try (TsdbEngine engine = engine(200); Tsdb db = engine.open("g1", OPTIONS)) {
            List<AggregateRow> rows = db.query(Query.of("cpu", TimeRange.all()).aggregate(AggregateFunction.COUNT).groupBy()).rows();
            assertEquals(4 * 2880, rows.get(0).longValue(AggregateFunction.COUNT, "value"), 0);
        }
    }

    @Test
    public void theLatestTagsOfASeriesWinInMemoryInPartsAndAfterReopen() {
        SeriesRef before = SeriesRef.of("cpu", Map.of("host", "h1"), Map.of("region", "eu"));
        SeriesRef after = SeriesRef.of("cpu", Map.of("host", "h1"), Map.of("region", "us"));
        try (TsdbEngine engine = engine(1_000_000); Tsdb db = engine.open("tags", OPTIONS)) {
            db.write(new WriteBatch("cpu", VALUE, 2).add(before, T0, 1.0));
            db.write(new WriteBatch("cpu", VALUE, 2).add(after, T0 + 1000, 2.0));
            assertEquals(Map.of("host", "h1", "region", "us"), db.query(Query.of("cpu", TimeRange.all())).series().get(0).tags());
            assertEquals(1, db.query(Query.of("cpu", TimeRange.all()).where("region", "us")).series().size());
            db.flush();
            assertEquals(Map.of("host", "h1", "region", "us"), db.query(Query.of("cpu", TimeRange.all())).series().get(0).tags());
        }
        try (TsdbEngine engine = engine(1_000_000); Tsdb db = engine.open("tags", OPTIONS)) {
            SeriesRows rows = db.query(Query.of("cpu", TimeRange.all())).series().get(0);
            assertEquals(Map.of("host", "h1", "region", "us"), rows.tags());
            assertEquals("one series, both points", 2, rows.size());
        }
    }

    @Test
    public void longFieldsAndMultipleFieldsKeepTheirValues() {
        List<FieldDef> fields = List.of(FieldDef.ofLong("bytes"), FieldDef.ofDouble("ratio"));
        try (TsdbEngine engine = engine(2); Tsdb db = engine.open("g1", OPTIONS)) {
            SeriesRef s = SeriesRef.of("net", "iface", "eth0");
            WriteBatch batch = new WriteBatch("net", fields, 4);
            batch.add(s, T0, Long.MAX_VALUE - 1, 0.25).add(s, T0 + 1, -5L, Double.NaN).add(s, T0 + 2, 7, 1e300);
            db.write(batch);
            SeriesRows rows = db.query(Query.of("net", TimeRange.all()).fields("bytes")).series().get(0);
            assertEquals(List.of(FieldDef.ofLong("bytes")), rows.fields());
            assertEquals(Long.MAX_VALUE - 1, rows.longValue("bytes", 0));
            assertEquals(-5, rows.longValue("bytes", 1));
            SeriesRows both = db.query(Query.of("net", TimeRange.all())).series().get(0);
            assertTrue(Double.isNaN(both.doubleValue("ratio", 1)));
            assertEquals(1e300, both.doubleValue("ratio", 2), 0);
        }
    }

    @Test
    public void s16_badBatchesAreRefusedWholeAndNameTheProblem() {
        try (TsdbEngine engine = engine(1000); Tsdb db = engine.open("g1", OPTIONS)) {
            WriteBatch ok = new WriteBatch("cpu", VALUE, 2).add(host(0), T0, 1);
            db.write(ok);
            WriteBatch bad = new WriteBatch("cpu", VALUE, 2).add(host(0), T0 + 1000, 2).add(host(1), 0, 3);
            try {
                db.write(bad);
                fail("timestamp 0");
            } catch (StorageException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("point 1 of the batch"));
                assertTrue(e.getMessage(), e.getMessage().contains("outside the supported range"));
            }
            try {
                db.write(new WriteBatch("cpu", List.of(FieldDef.ofLong("value")), 1).add(host(0), T0 + 5, 5L));
                fail("field type changed");
            } catch (StorageException e) {
                assertEquals("group g1: measure cpu has fields [value:DOUBLE]; this batch has field value as LONG: "
                        + "a field's type cannot change", e.getMessage());
            }
            assertEquals("nothing of the refused batches was stored", 1,
                    db.query(Query.of("cpu", TimeRange.all())).series().stream().mapToInt(SeriesRows::size).sum());
            try {
                new WriteBatch("cpu", List.of(FieldDef.ofLong("n")), 1).add(host(0), T0, 1.5d);
                fail("a double for a LONG field");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("measure cpu has fields"));
            }
        }
    }

    @Test
    public void s16_seriesIdsAreStableAndShardsSpread() {
        assertEquals("pinned: changing the hash would move existing series to other shards", 2144248393750434951L, host(500).id());
        assertEquals(host(500).id(), SeriesRef.of("cpu", Map.of("host", "host_500"), Map.of("region", "other")).id());
        long inShard0 = java.util.stream.IntStream.range(0, 1000).filter(i -> Math.floorMod(host(i).id(), 2L) == 0).count();
        assertTrue("roughly even: " + inShard0, inShard0 > 400 && inShard0 < 600);
    }
}
