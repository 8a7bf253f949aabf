package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.FieldType;
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

import static dev.banyan.storage.api.AggregateFunction.AVG;
import static dev.banyan.storage.api.AggregateFunction.COUNT;
import static dev.banyan.storage.api.AggregateFunction.MAX;
import static dev.banyan.storage.api.AggregateFunction.MIN;
import static dev.banyan.storage.api.AggregateFunction.SUM;

/**
 * [S17] One aggregate, one answer, whatever the physical layout: memtable, parts, merged parts,
 * block statistics, part summaries, buckets, per series or grouped. Every answer is compared with
 * {@link ReferenceAggregates}, the policy written the obvious way over the raw points.
 */
public class AggregateSemanticsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 2)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);
    private static final long HOUR = 3_600_000L;
    private static final List<FieldDef> DOUBLE_AND_LONG = List.of(FieldDef.ofDouble("d"), FieldDef.ofLong("l"));
    private static final AggregateFunction[] ALL = AggregateFunction.values();

    private TsdbEngine engine(long flushThreshold) {
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), flushThreshold);
    }

    private static SeriesRef series(String host) {
        return SeriesRef.of("m", Map.of("host", host), Map.of("region", host.length() % 2 == 0 ? "even" : "odd"));
    }

    /** The case: a = [1, NaN, 3], n = [NaN], in memory, flushed, reopened, bucketed, grouped. */
    @Test
    public void s17_nanIsCountedMakesSumNanAndIsIgnoredByMinMaxUnlessAllAreNan() {
        List<FieldDef> value = List.of(FieldDef.ofDouble("value"));
        try (TsdbEngine engine = engine(1_000_000)) {
            Tsdb db = engine.open("g", OPTIONS);
            db.write(new WriteBatch("m", value, 4).add(series("a"), T0, 1.0).add(series("a"), T0 + 1000, Double.NaN)
                    .add(series("a"), T0 + 2000, 3.0).add(series("n"), T0, Double.NaN));
            assertNanPolicy("memtable", db);
            db.flush();
            assertNanPolicy("part", db);
            db.close();
            db = engine.open("g", OPTIONS);
            assertNanPolicy("reopened", db);
            db.close();
        }
    }

    private static void assertNanPolicy(String when, Tsdb db) {
        for (long bucket : new long[] {0, HOUR}) {
            Query q = Query.of("m", new TimeRange(T0, T0 + HOUR)).aggregate(ALL).bucket(bucket);
            List<AggregateRow> rows = db.query(q).rows();
            assertEquals(when, 2, rows.size());
            AggregateRow a = rows.get(0);
            assertEquals(when, 3L, a.value(COUNT, "value"));
            assertEquals(when, 1.0, a.value(MIN, "value"));
            assertEquals(when, 3.0, a.value(MAX, "value"));
            assertEquals(when, Double.NaN, a.value(SUM, "value"));
            assertEquals(when, Double.NaN, a.value(AVG, "value"));
            AggregateRow n = rows.get(1);
            assertEquals(when, 1L, n.value(COUNT, "value"));
            assertEquals(when + ": never Infinity for a series with points", Double.NaN, n.value(MIN, "value"));
            assertEquals(when, Double.NaN, n.value(MAX, "value"));
            List<AggregateRow> all = db.query(q.groupBy()).rows();
            assertEquals(when, 4L, all.get(0).value(COUNT, "value"));
            assertEquals(when, 1.0, all.get(0).value(MIN, "value"));
            assertEquals(when, 3.0, all.get(0).value(MAX, "value"));
        }
    }

    /** Infinities are values; -0.0 sorts below +0.0 and sums to -0.0 only on its own. */
    @Test
    public void s17_infinitiesAndNegativeZeroFollowOnePolicyOnEveryPath() {
        List<FieldDef> value = List.of(FieldDef.ofDouble("value"));
        try (TsdbEngine engine = engine(1_000_000); Tsdb db = engine.open("g", OPTIONS)) {
            db.write(new WriteBatch("m", value, 8)
                    .add(series("zeros"), T0, 0.0).add(series("zeros"), T0 + 1, -0.0)
                    .add(series("negzero"), T0, -0.0).add(series("negzero"), T0 + 1, -0.0)
                    .add(series("inf"), T0, Double.POSITIVE_INFINITY).add(series("inf"), T0 + 1, 2.0)
                    .add(series("both"), T0, Double.POSITIVE_INFINITY).add(series("both"), T0 + 1, Double.NEGATIVE_INFINITY));
            for (String when : new String[] {"memtable", "part"}) {
                Map<String, AggregateRow> rows = new java.util.HashMap<>();
                db.query(Query.of("m", TimeRange.all()).aggregate(ALL)).rows().forEach(r -> rows.put(r.group().get("host"), r));
                assertEquals(when, -0.0, rows.get("zeros").value(MIN, "value"));
                assertEquals(when, 0.0, rows.get("zeros").value(MAX, "value"));
                assertEquals(when, 0.0, rows.get("zeros").value(SUM, "value"));
                assertEquals(when, -0.0, rows.get("negzero").value(SUM, "value"));
                assertEquals(when, -0.0, rows.get("negzero").value(AVG, "value"));
                assertEquals(when, Double.POSITIVE_INFINITY, rows.get("inf").value(MAX, "value"));
                assertEquals(when, 2.0, rows.get("inf").value(MIN, "value"));
                assertEquals(when, Double.POSITIVE_INFINITY, rows.get("inf").value(SUM, "value"));
                assertEquals(when, Double.NEGATIVE_INFINITY, rows.get("both").value(MIN, "value"));
                assertEquals(when, Double.NaN, rows.get("both").value(SUM, "value"));
                db.flush();
            }
        }
    }

    /** A staleness marker is stored and returned bit for bit, and is not a sample for aggregates. */
    @Test
    public void s17_stalenessMarkersAreKeptRawAndSkippedByAggregates() {
        List<FieldDef> value = List.of(FieldDef.ofDouble("value"));
        double stale = Double.longBitsToDouble(FieldType.STALE_MARKER_BITS);
        double payloadNan = Double.longBitsToDouble(0x7FF8_0000_0000_0001L);
        try (TsdbEngine engine = engine(1_000_000); Tsdb db = engine.open("g", OPTIONS)) {
            db.write(new WriteBatch("m", value, 4).add(series("a"), T0, 5.0).add(series("a"), T0 + 1, stale)
                    .add(series("a"), T0 + 2, payloadNan).add(series("s"), T0, stale));
            for (String when : new String[] {"memtable", "part"}) {
                SeriesRows a = db.query(Query.of("m", TimeRange.all()).where("host", "a")).series().get(0);
                assertEquals(when, FieldType.STALE_MARKER_BITS, a.columns().get(0)[1]);
                assertEquals(when, 0x7FF8_0000_0000_0001L, a.columns().get(0)[2]);
                List<AggregateRow> rows = db.query(Query.of("m", TimeRange.all()).aggregate(ALL)).rows();
                assertEquals(when + ": a series holding only a staleness marker has no aggregate row", 1, rows.size());
                assertEquals(when, 2L, rows.get(0).value(COUNT, "value"));
                assertEquals(when, 5.0, rows.get(0).value(MAX, "value"));
                db.flush();
            }
        }
    }

    /** The case: LONG values beyond 2^53 aggregate exactly; a sum beyond 64 bits widens, exactly. */
    @Test
    public void s17_longFieldsAggregateExactly() {
        List<FieldDef> bytes = List.of(FieldDef.ofLong("bytes"));
        try (TsdbEngine engine = engine(1_000_000)) {
            Tsdb db = engine.open("g", OPTIONS);
            db.write(new WriteBatch("m", bytes, 2).add(series("a"), T0, 9007199254740993L)
                    .add(series("a"), T0 + 1000, 9223372036854775807L));
            for (String when : new String[] {"memtable", "part", "reopened"}) {
                for (long bucket : new long[] {0, HOUR}) {
                    AggregateRow row = db.query(Query.of("m", TimeRange.all()).aggregate(ALL).bucket(bucket)).rows().get(0);
                    assertEquals(when, 9007199254740993L, row.value(MIN, "bytes"));
                    assertEquals(when, 9223372036854775807L, row.value(MAX, "bytes"));
                    assertEquals(when, 9007199254740993L, row.longValue(MIN, "bytes"));
                    assertEquals(when + ": the sum needs 65 bits and is exact, not rounded",
                            new BigInteger("9223372036854775807").add(BigInteger.valueOf(9007199254740993L)), row.value(SUM, "bytes"));
                    try {
                        row.longValue(SUM, "bytes");
                        fail("a 65-bit sum as a long");
                    } catch (ArithmeticException expected) {
                        // BigInteger.longValueExact: out of long range
                    }
                    assertEquals(when, 2L, row.value(COUNT, "bytes"));
                }
                if (when.equals("memtable")) {
                    db.flush();
                } else if (when.equals("part")) {
                    db.close();
                    db = engine.open("g", OPTIONS);
                }
            }
            db.write(new WriteBatch("m", bytes, 2).add(series("b"), T0, -9007199254740993L).add(series("b"), T0 + 1, 2L));
            AggregateRow b = db.query(Query.of("m", TimeRange.all()).where("host", "b").aggregate(ALL)).rows().get(0);
            assertEquals(-9007199254740991L, b.value(SUM, "bytes"));
            assertEquals(-9007199254740991L / 2.0, b.value(AVG, "bytes"));
            db.close();
        }
    }

    /** Long.MIN_VALUE and one NaN payload mark "absent": they cannot be written as values. */
    @Test
    public void s17_theRawWordsThatMarkAbsentAreRefusedAsValues() {
        try {
            new WriteBatch("m", List.of(FieldDef.ofLong("bytes")), 1).add(series("a"), T0, Long.MIN_VALUE);
            fail("Long.MIN_VALUE");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("field bytes of series m{host=a}{region=odd} cannot hold -9223372036854775808"));
        }
        try {
            new WriteBatch("m", DOUBLE_AND_LONG, 1).add(series("a"), T0, Double.longBitsToDouble(FieldType.DOUBLE.absentRaw()), 1L);
            fail("the absent NaN");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("field d of series m{host=a}{region=odd} cannot hold the NaN with bits 0x7ff442414e59414e"));
        }
    }

    /**
     * Random layouts against the reference: points (NaN payloads, staleness markers, infinities,
     * -0.0, subnormals, huge values, LONG extremes, absent values) written out of order with
     * overwrites, in random batches, with random flushes (small thresholds make parts and merges),
     * reopens, and a last batch left in memory; then random ranges, buckets (boundaries inside
     * blocks), groupings and projections, every aggregate compared exactly, and raw rows bit for bit.
     */
    @Test
    public void s17_everyAggregateOnEveryPathEqualsTheReference() {
        for (int seed = 0; seed < 16; seed++) {
            Random random = new Random(seed);
            long threshold = random.nextInt(3) == 0 ? 1_000_000 : 20 + random.nextInt(200);
            ReferenceAggregates reference = new ReferenceAggregates(DOUBLE_AND_LONG);
            String group = "g" + seed;
            try (TsdbEngine engine = engine(threshold)) {
                TsdbOptions options = OPTIONS.withShardNum(1 + random.nextInt(3));
                Tsdb db = engine.open(group, options);
                List<SeriesRef> all = List.of(series("a"), series("bb"), series("c"), series("dd"), series("e"));
                int batches = 5 + random.nextInt(20);
                for (int b = 0; b < batches; b++) {
                    WriteBatch batch = new WriteBatch("m", DOUBLE_AND_LONG, 64);
                    int n = 1 + random.nextInt(b == batches - 1 ? 30 : 300);
                    for (int i = 0; i < n; i++) {
                        SeriesRef s = all.get(random.nextInt(all.size()));
                        // A 50-hour grid of 90-second steps: three daily segments, many hourly blocks.
                        long t = T0 + 90_000L * random.nextInt(2000) + (random.nextInt(10) == 0 ? random.nextInt(90_000) : 0);
                        Number d = randomDouble(random);
                        Number l = d == null || random.nextBoolean() ? randomLong(random) : null;
                        batch.add(s, t, d, l);
                        reference.write(s, t, new long[] {d == null ? FieldType.DOUBLE.absentRaw() : Double.doubleToRawLongBits(d.doubleValue()),
                                l == null ? FieldType.LONG.absentRaw() : l.longValue()});
                    }
                    db.write(batch);
                    if (b < batches - 1) {
                        switch (random.nextInt(6)) {
                            case 0 -> db.flush();
                            case 1 -> {
                                db.close();
                                db = engine.open(group, options);
                            }
                            default -> {
                            }
                        }
                    }
                }
                for (int q = 0; q < 30; q++) {
                    Query query = randomQuery(random, all);
                    String context = "seed " + seed + " threshold " + threshold + " query " + q + ": " + query;
                    if (query.isAggregate()) {
                        assertRows(context, reference.aggregate(query), db.query(query).rows());
                    } else {
                        assertRaw(context, reference, query, db.query(query).series());
                    }
                }
                db.close();
            }
        }
    }

    /**
     * Out-of-order arrival split across flushes: every part of a series overlaps the others in time.
     * Without a repeated timestamp their statistics add up; one repeat (in another part, or in
     * memory) must still be answered last-write-wins, in whole-range and bucketed aggregates alike.
     */
    @Test
    public void s17_sourcesOverlappingInTimeAddUpUnlessATimestampRepeats() {
        ReferenceAggregates reference = new ReferenceAggregates(DOUBLE_AND_LONG);
        try (TsdbEngine engine = engine(1_000_000)) {
            Tsdb db = engine.open("g", OPTIONS.withShardNum(1));
            List<SeriesRef> all = List.of(series("a"), series("bb"));
            // Three interleaved passes over one hour of 10 s steps: pass k writes steps k, k+3, k+6, ...
            for (int pass = 0; pass < 3; pass++) {
                WriteBatch batch = new WriteBatch("m", DOUBLE_AND_LONG, 64);
                for (int step = pass; step < 360; step += 3) {
                    for (SeriesRef s : all) {
                        long t = T0 + 10_000L * step;
                        double d = step * 1.5 + s.entity().get("host").length();
                        long l = step * 7L;
                        batch.add(s, t, d, l);
                        reference.write(s, t, new long[] {Double.doubleToRawLongBits(d), l});
                    }
                }
                db.write(batch);
                if (pass < 2) {
                    db.flush();
                }
            }
            assertOverlappingAggregates("parts overlapping, no repeat", reference, db);
            db.flush();
            assertOverlappingAggregates("three parts overlapping, no repeat", reference, db);

            // The same timestamp again, once in a new part and once in memory: the later write wins.
            overwrite(db, reference, series("a"), T0 + 10_000L * 100, -1000.0, 1L);
            db.flush();
            assertOverlappingAggregates("a repeat in a newer part", reference, db);
            overwrite(db, reference, series("bb"), T0 + 10_000L * 200, 5000.0, -3L);
            assertOverlappingAggregates("a repeat in memory", reference, db);
            db.close();
            db = engine.open("g", OPTIONS.withShardNum(1));
            assertOverlappingAggregates("reopened", reference, db);
            db.close();
        }
    }

    private static void overwrite(Tsdb db, ReferenceAggregates reference, SeriesRef s, long t, double d, long l) {
        db.write(new WriteBatch("m", DOUBLE_AND_LONG, 1).add(s, t, d, l));
        reference.write(s, t, new long[] {Double.doubleToRawLongBits(d), l});
    }

    private static void assertOverlappingAggregates(String when, ReferenceAggregates reference, Tsdb db) {
        List<Query> queries = List.of(
                Query.of("m", new TimeRange(T0 - HOUR, T0 + 2 * HOUR)).aggregate(ALL),
                Query.of("m", new TimeRange(T0 - HOUR, T0 + 2 * HOUR)).aggregate(ALL).groupBy(),
                Query.of("m", new TimeRange(T0 + 1_000, T0 + HOUR - 1_000)).aggregate(ALL).groupBy("region"),
                Query.of("m", new TimeRange(T0, T0 + HOUR)).aggregate(ALL).bucket(600_000L));
        for (Query query : queries) {
            assertRows(when + ": " + query, reference.aggregate(query), db.query(query).rows());
        }
    }

    private static Query randomQuery(Random random, List<SeriesRef> all) {
        long from = T0 + (random.nextInt(4) == 0 ? -HOUR : 90_000L * random.nextInt(2000) + random.nextInt(3) * 1000 - 1000);
        long to = random.nextInt(4) == 0 ? T0 + 60 * HOUR : from + 1 + random.nextInt(30) * (random.nextBoolean() ? HOUR : 600_000L);
        Query query = Query.of("m", new TimeRange(from, to));
        if (random.nextInt(4) == 0) {
            query = query.where("host", all.get(random.nextInt(all.size())).entity().get("host"));
        }
        switch (random.nextInt(4)) {
            case 0 -> query = query.fields("d");
            case 1 -> query = query.fields("l");
            case 2 -> query = query.fields("l", "d");
            default -> {
            }
        }
        if (random.nextInt(5) == 0) {
            return query;
        }
        List<AggregateFunction> functions = new ArrayList<>(List.of(ALL));
        java.util.Collections.shuffle(functions, random);
        query = query.aggregate(functions.subList(0, 1 + random.nextInt(functions.size())).toArray(new AggregateFunction[0]));
        switch (random.nextInt(3)) {
            case 0 -> query = query.groupBy("region");
            case 1 -> query = query.groupBy();
            default -> {
            }
        }
        long[] buckets = {0, 0, HOUR, 20 * 60_000L, 7 * 90_000L, 24 * HOUR};
        return query.bucket(buckets[random.nextInt(buckets.length)]);
    }

    private static Number randomDouble(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> Double.NaN;
            case 2 -> Double.longBitsToDouble(0x7FF8_0000_0000_0BADL);
            case 3 -> Double.longBitsToDouble(FieldType.STALE_MARKER_BITS);
            case 4 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 5 -> random.nextBoolean() ? 0.0 : -0.0;
            case 6 -> Double.MIN_VALUE * random.nextInt(5);
            case 7 -> Double.MAX_VALUE * (random.nextBoolean() ? 1 : -1);
            case 8 -> 0.1 * random.nextInt(30);
            case 9 -> random.nextGaussian() * 1e15;
            default -> Math.round(random.nextGaussian() * 10_000) / 100.0;
        };
    }

    private static Long randomLong(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Long.MAX_VALUE - random.nextInt(2);
            case 1 -> Long.MIN_VALUE + 1 + random.nextInt(2);
            case 2 -> 9007199254740993L;
            case 3 -> random.nextLong() | 1;
            default -> (long) random.nextInt(2000) - 1000;
        };
    }

    private static final Comparator<AggregateRow> BY_GROUP_AND_BUCKET =
            Comparator.comparing((AggregateRow r) -> r.group().toString()).thenComparingLong(AggregateRow::bucketStart);

    private static void assertRows(String context, List<AggregateRow> expected, List<AggregateRow> actual) {
        List<AggregateRow> sorted = new ArrayList<>(actual);
        sorted.sort(BY_GROUP_AND_BUCKET);
        assertEquals(context + ": rows", expected.size(), sorted.size());
        for (int i = 0; i < expected.size(); i++) {
            AggregateRow e = expected.get(i);
            AggregateRow a = sorted.get(i);
            assertEquals(context, e.group(), a.group());
            assertEquals(context, e.bucketStart(), a.bucketStart());
            assertEquals(context + " group " + e.group() + " bucket " + e.bucketStart(), e.values(), a.values());
        }
    }

    private static void assertRaw(String context, ReferenceAggregates reference, Query query, List<SeriesRows> actual) {
        List<String> names = query.fields().isEmpty() ? List.of("d", "l") : query.fields();
        int found = 0;
        for (var series : reference.points.entrySet()) {
            if (!ReferenceAggregates.matches(series.getKey(), query)) {
                continue;
            }
            List<Long> timestamps = new ArrayList<>();
            List<List<Long>> values = new ArrayList<>();
            for (var p : series.getValue().subMap(query.range().startMillis(), query.range().endMillis()).entrySet()) {
                List<Long> row = new ArrayList<>();
                boolean any = false;
                for (String name : names) {
                    int f = name.equals("d") ? 0 : 1;
                    row.add(p.getValue()[f]);
                    any |= p.getValue()[f] != DOUBLE_AND_LONG.get(f).type().absentRaw();
                }
                if (any) {
                    timestamps.add(p.getKey());
                    values.add(row);
                }
            }
            SeriesRows rows = actual.stream().filter(r -> r.tags().equals(series.getKey().allTags())).findFirst().orElse(null);
            if (timestamps.isEmpty()) {
                assertNull(context + ": no rows, no series " + series.getKey(), rows);
                continue;
            }
            found++;
            assertTrue(context + ": missing " + series.getKey(), rows != null);
            assertEquals(context, timestamps.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(context, (long) timestamps.get(i), rows.timestamps()[i]);
                for (int w = 0; w < names.size(); w++) {
                    assertEquals(context + " " + names.get(w) + " at " + rows.timestamps()[i], (long) values.get(i).get(w),
                            rows.columns().get(w)[i]);
                }
            }
        }
        assertEquals(context + ": series", found, actual.size());
    }
}
