package dev.banyan.storage;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Timestamps;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * [S12] Property: whatever a write accepts, a reopen reads back the same. Random batches of random
 * series at random timestamps across the whole supported range (plus clusters that share segments
 * and rewrite timestamps), in random segment intervals and shard counts, with random flushes: after
 * close and reopen (in another process time zone) every query answers exactly as before, and as a
 * last-write-wins model says.
 */
public class ReopenPropertyTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("value"), FieldDef.ofLong("n"));
    private static final int ROUNDS = Integer.getInteger("banyan.reopen.rounds", 4);

    @Test(timeout = 300_000)
    public void s12_acceptedBatchesReadTheSameAfterReopen() throws Exception {
        long seed = Long.getLong("banyan.reopen.seed", System.nanoTime());
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            runRound(random, "seed " + seed + " round " + round, tmp.newFolder().toPath());
        }
    }

    private void runRound(Random random, String label, Path root) {
        IntervalRule interval = random.nextBoolean() ? IntervalRule.days(1 + random.nextInt(7)) : IntervalRule.hours(1 + random.nextInt(12));
        TsdbOptions options = TsdbOptions.of(interval, IntervalRule.days(1), 1 + random.nextInt(3))
                .withRetention(false).withDurability(Durability.OS);
        label += " " + options;
        // The clock sits at the end of the range: the write window refuses nothing in it. Writer and
        // reader run in random, different process zones: what is on disk means the same in any [S12].
        TestClock clock = new TestClock(Timestamps.MAX_MILLIS, randomZone(random));
        TestClock readerClock = new TestClock(Timestamps.MAX_MILLIS, randomZone(random));
        label += " written in " + clock.getZone() + ", read in " + readerClock.getZone();
        List<SeriesRef> series = new ArrayList<>();
        for (int s = 0, n = 1 + random.nextInt(6); s < n; s++) {
            series.add(SeriesRef.of("cpu", Map.of("host", "h" + s), Map.of("region", "r" + (s % 2))));
        }
        List<Long> anchors = new ArrayList<>(List.of(Timestamps.MIN_MILLIS, Timestamps.MAX_MILLIS));
        for (int a = 0; a < 4; a++) {
            anchors.add(randomTimestamp(random));
        }
        Map<SeriesRef, TreeMap<Long, long[]>> model = new java.util.HashMap<>();
        QueryAnswers before;
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), clock, 1 + random.nextInt(200));
                Tsdb db = engine.open("g", options)) {
            for (int b = 0, batches = 5 + random.nextInt(20); b < batches; b++) {
                WriteBatch batch = new WriteBatch("cpu", FIELDS, 16);
                for (int p = 0, points = 1 + random.nextInt(30); p < points; p++) {
                    long t = random.nextInt(3) == 0 ? randomTimestamp(random)
                            : clamp(anchors.get(random.nextInt(anchors.size())) + random.nextInt(200_000) - 100_000);
                    SeriesRef ref = series.get(random.nextInt(series.size()));
                    long n = random.nextInt(1_000_000) - 500_000;
                    // Integral doubles: every sum is exact, whichever order a path adds them in.
                    double value = random.nextInt(2_000_000) - 1_000_000;
                    batch.add(ref, t, value, n);
                    model.computeIfAbsent(ref, k -> new TreeMap<>()).put(t, new long[] {Double.doubleToLongBits(value), n});
                }
                db.write(batch);
                if (random.nextInt(5) == 0) {
                    db.flush();
                }
            }
            before = answers(db, anchors);
            assertSame(label + ": as written", expected(model), before.raw);
        }
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), readerClock); Tsdb db = engine.open("g", options)) {
            QueryAnswers after = answers(db, anchors);
            assertSame(label + ": raw after reopen", before.raw, after.raw);
            assertSame(label + ": aggregates after reopen", before.aggregates, after.aggregates);
        }
    }

    /** Equal lists, or a failure showing only the lines that differ. */
    private static void assertSame(String label, List<String> expected, List<String> actual) {
        if (!expected.equals(actual)) {
            List<String> missing = new ArrayList<>(expected);
            missing.removeAll(actual);
            List<String> extra = new ArrayList<>(actual);
            extra.removeAll(expected);
            assertEquals(label + " (" + expected.size() + " vs " + actual.size() + " lines)", missing, extra);
        }
    }

    private static ZoneId randomZone(Random random) {
        List<String> zones = List.of("UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati", "Pacific/Pago_Pago",
                "Asia/Kathmandu", "Europe/Berlin");
        return ZoneId.of(zones.get(random.nextInt(zones.size())));
    }

    private static long randomTimestamp(Random random) {
        return Timestamps.MIN_MILLIS + Math.floorMod(random.nextLong(), Timestamps.MAX_MILLIS);
    }

    private static long clamp(long t) {
        return Math.max(Timestamps.MIN_MILLIS, Math.min(Timestamps.MAX_MILLIS, t));
    }

    /** Raw points of every series, and aggregates per series and per region around each anchor. */
    private record QueryAnswers(List<String> raw, List<String> aggregates) {
    }

    private static QueryAnswers answers(Tsdb db, List<Long> anchors) {
        List<String> raw = new ArrayList<>();
        for (SeriesRows rows : db.query(Query.of("cpu", TimeRange.all())).series()) {
            for (int i = 0; i < rows.size(); i++) {
                raw.add(new TreeMap<>(rows.tags()) + "@" + rows.timestamps()[i] + "=" + rows.doubleValue("value", i) + "/" + rows.longValue("n", i));
            }
        }
        raw.sort(null);
        List<String> aggregates = new ArrayList<>();
        for (long anchor : anchors) {
            TimeRange range = new TimeRange(anchor - 50_000, anchor + 50_000);
            for (Query query : List.of(Query.of("cpu", range).aggregate(AggregateFunction.COUNT, AggregateFunction.SUM,
                    AggregateFunction.MIN, AggregateFunction.MAX), Query.of("cpu", range).aggregate(AggregateFunction.COUNT,
                    AggregateFunction.SUM).groupBy("region"))) {
                for (AggregateRow row : db.query(query).rows()) {
                    aggregates.add(anchor + " " + row.group() + " " + row.bucketStart() + " " + new TreeMap<>(row.values()));
                }
            }
        }
        return new QueryAnswers(raw, aggregates);
    }

    private static List<String> expected(Map<SeriesRef, TreeMap<Long, long[]>> model) {
        List<String> raw = new ArrayList<>();
        model.forEach((ref, points) -> points.forEach((t, v) -> {
            Map<String, String> tags = new TreeMap<>(ref.entity());
            tags.putAll(ref.tags());
            raw.add(tags + "@" + t + "=" + Double.longBitsToDouble(v[0]) + "/" + v[1]);
        }));
        raw.sort(null);
        return raw;
    }
}
