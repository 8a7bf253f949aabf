package dev.banyan.storage;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
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
import dev.banyan.storage.internal.tsdb.EngineSettings;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * [S15][S17] A shard-count change at runtime keeps last-write-wins: the shard count is a property of
 * each segment, fixed when it is created, so within a segment a series always lives in one shard.
 */
public class ReshardingTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    private static final long T0 = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    private static final int SERIES = 24;
    private static final int POINTS = 10;
    private static final TsdbOptions TWO = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(30), 2)
            .withDurability(Durability.OS);

    private final TestClock clock = new TestClock(T0 + 12 * 3_600_000L, ZoneOffset.UTC);

    private TsdbEngine engine(long flushThreshold) {
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), clock, flushThreshold);
    }

    private static SeriesRef series(int s) {
        return SeriesRef.of("cpu", Map.of("host", "h" + s), Map.of());
    }

    /** Every series, the same timestamps (one per minute from {@code t0}), one value. */
    private static void writeAll(Tsdb db, long t0, double value) {
        WriteBatch batch = new WriteBatch("cpu", VALUE, SERIES * POINTS);
        for (int s = 0; s < SERIES; s++) {
            for (int p = 0; p < POINTS; p++) {
                batch.add(series(s), t0 + p * 60_000L, value);
            }
        }
        db.write(batch);
    }

    /** Value by series and timestamp as a raw query sees it, and the count over all series. */
    private static void assertOnlyValue(String when, Tsdb db, long t0, double value) {
        Map<String, Double> seen = new TreeMap<>();
        int rows = 0;
        for (SeriesRows r : db.query(Query.of("cpu", new TimeRange(t0, t0 + POINTS * 60_000L))).series()) {
            for (int i = 0; i < r.size(); i++) {
                seen.merge(r.tags() + "@" + r.timestamps()[i], r.doubleValue("value", i), (a, b) -> Double.NaN);
                rows++;
            }
        }
        assertEquals(when + ": one row per series and timestamp", SERIES * POINTS, rows);
        assertEquals(when + ": every point has the last value", Map.of(value, (long) SERIES * POINTS),
                seen.values().stream().collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting())));
        long count = db.query(Query.of("cpu", new TimeRange(t0, t0 + POINTS * 60_000L)).aggregate(AggregateFunction.COUNT)
                .groupBy()).rows().get(0).longValue(AggregateFunction.COUNT, "value");
        assertEquals(when + ": count over all series", SERIES * POINTS, count);
    }

    @Test
    public void s15_shardCountChangeKeepsLastWriteWinsAlsoAfterRestartAndMerges() {
        try (TsdbEngine engine = engine(EngineSettings.DEFAULT_FLUSH_THRESHOLD); Tsdb db = engine.open("g", TWO)) {
            writeAll(db, T0, 1);
            db.updateOptions(db.options().withShardNum(3));
            writeAll(db, T0, 2);
            assertOnlyValue("memtables", db, T0, 2);
            db.flush();
            assertOnlyValue("parts", db, T0, 2);
        }
        // Small memtables: every further write makes a part, and more than 8 parts merge.
        try (TsdbEngine engine = engine(SERIES); Tsdb db = engine.open("g", TWO.withShardNum(3))) {
            assertOnlyValue("after restart", db, T0, 2);
            for (int round = 3; round < 15; round++) {
                writeAll(db, T0, round);
            }
            db.flush();
            assertOnlyValue("after merges", db, T0, 14);
        }
    }

    @Test
    public void s15_newSegmentsTakeTheNewShardCountOldOnesKeepTheirs() throws Exception {
        long tomorrow = T0 + 86_400_000L;
        try (TsdbEngine engine = engine(EngineSettings.DEFAULT_FLUSH_THRESHOLD); Tsdb db = engine.open("g", TWO.withShardNum(3))) {
            writeAll(db, T0, 1);
        }
        try (TsdbEngine engine = engine(EngineSettings.DEFAULT_FLUSH_THRESHOLD); Tsdb db = engine.open("g", TWO)) {
            writeAll(db, T0, 2);
            clock.set(tomorrow + 3_600_000L);
            writeAll(db, tomorrow, 5);
        }
        try (TsdbEngine engine = engine(EngineSettings.DEFAULT_FLUSH_THRESHOLD); Tsdb db = engine.open("g", TWO.withShardNum(3))) {
            writeAll(db, T0, 3);
            writeAll(db, tomorrow, 6);
            assertOnlyValue("3 -> 2 -> 3 with reopens, created with 3", db, T0, 3);
            assertOnlyValue("created with 2", db, tomorrow, 6);
            Path root = tmp.getRoot().toPath().resolve("g");
            assertEquals(List.of("shard-0", "shard-1", "shard-2"), shardDirs(root.resolve("seg-20240601")));
            assertEquals(List.of("shard-0", "shard-1"), shardDirs(root.resolve("seg-20240602")));
        }
    }

    private static List<String> shardDirs(Path segment) throws Exception {
        try (Stream<Path> entries = Files.list(segment)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("shard-")).sorted().toList();
        }
    }
}
