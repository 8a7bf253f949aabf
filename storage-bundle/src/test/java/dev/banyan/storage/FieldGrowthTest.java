package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * [S17][R11] A measure's field list grows: new fields are appended, points written before lack
 * them (absent), in memory, in parts, across merges and reopens. Removing, reordering or retyping a
 * field is refused, naming the measure and the field.
 */
public class FieldGrowthTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 2)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);
    private static final List<FieldDef> V1 = List.of(FieldDef.ofDouble("value"));
    private static final List<FieldDef> V2 = List.of(FieldDef.ofDouble("value"), FieldDef.ofLong("extra"));

    private TsdbEngine engine(long flushThreshold) {
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), flushThreshold);
    }

    /** The case: cpu written with value, then with value and extra: both kinds of points read back. */
    @Test
    public void r11_aFieldAddedToAMeasureWithDataIsWrittenAndOldPointsLackIt() {
        SeriesRef h1 = SeriesRef.of("cpu", "host", "h1");
        try (TsdbEngine engine = engine(1_000_000)) {
            Tsdb db = engine.open("g", OPTIONS);
            db.write(new WriteBatch("cpu", V1, 2).add(h1, T0, 1.5).add(h1, T0 + 1000, 2.5));
            db.flush();
            db.write(new WriteBatch("cpu", V1, 1).add(h1, T0 + 2000, 3.5));
            db.write(new WriteBatch("cpu", V2, 2).add(h1, T0 + 3000, 4.5, 40L).add(h1, T0 + 4000, 5.5, 50L));
            for (String when : new String[] {"memtable and part", "parts", "reopened"}) {
                SeriesRows rows = db.query(Query.of("cpu", TimeRange.all())).series().get(0);
                assertEquals(when, V2, rows.fields());
                assertEquals(when, 5, rows.size());
                for (int i = 0; i < 3; i++) {
                    assertFalse(when, rows.isPresent("extra", i));
                    assertEquals(when, FieldType.LONG.absentRaw(), rows.columns().get(1)[i]);
                    assertEquals(when, 1.5 + i, rows.doubleValue("value", i), 0);
                }
                try {
                    rows.longValue("extra", 0);
                    fail(when + ": an absent value read as a number");
                } catch (NoSuchElementException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("has no field extra"));
                }
                assertEquals(when, 40L, rows.longValue("extra", 3));
                assertEquals(when, 50L, rows.longValue("extra", 4));
                SeriesRows extraOnly = db.query(Query.of("cpu", TimeRange.all()).fields("extra")).series().get(0);
                assertEquals(when + ": rows lacking every projected field are not returned", 2, extraOnly.size());
                AggregateRow row = db.query(Query.of("cpu", TimeRange.all()).aggregate(AggregateFunction.values())).rows().get(0);
                assertEquals(when, 5L, row.value(AggregateFunction.COUNT, "value"));
                assertEquals(when + ": count counts present values", 2L, row.value(AggregateFunction.COUNT, "extra"));
                assertEquals(when, 90L, row.value(AggregateFunction.SUM, "extra"));
                assertEquals(when, 40L, row.value(AggregateFunction.MIN, "extra"));
                assertEquals(when, 45.0, row.value(AggregateFunction.AVG, "extra"));
                assertEquals(when, 17.5, row.value(AggregateFunction.SUM, "value"));
                AggregateRow old = db.query(Query.of("cpu", new TimeRange(T0, T0 + 3000)).aggregate(AggregateFunction.values())).rows().get(0);
                assertEquals(when, 0L, old.value(AggregateFunction.COUNT, "extra"));
                assertEquals(when + ": no value, no sum/min/max/avg", null, old.value(AggregateFunction.SUM, "extra"));
                assertEquals(when, null, old.value(AggregateFunction.MAX, "extra"));
                assertEquals(when, null, old.value(AggregateFunction.AVG, "extra"));
                assertEquals(when + ": a group without any value of the projected fields has no row", List.of(),
                        db.query(Query.of("cpu", new TimeRange(T0, T0 + 3000)).fields("extra").aggregate(AggregateFunction.COUNT)).rows());
                if (when.startsWith("memtable")) {
                    db.flush();
                } else if (when.equals("parts")) {
                    db.close();
                    db = engine.open("g", OPTIONS);
                }
            }
            db.close();
        }
    }

    /**
     * A field list the stored points could never be written with is refused up front by
     * {@link Tsdb#checkFields} (what a schema change asks before it commits), by the same rule and
     * naming the stored and the new types; lists that append to the stored one pass, and checking
     * admits nothing.
     */
    @Test
    public void r11_checkFieldsRefusesWhatNoWriteCouldMatchWithoutAdmittingAnything() {
        SeriesRef h1 = SeriesRef.of("cpu", "host", "h1");
        try (TsdbEngine engine = engine(1_000_000)) {
            try (Tsdb db = engine.open("g", OPTIONS)) {
                db.checkFields("cpu", List.of(FieldDef.ofLong("value")));
                db.write(new WriteBatch("cpu", V1, 1).add(h1, T0, 1.0));
            }
            try (Tsdb db = engine.open("g", OPTIONS)) {
                assertCheckRefused(db, List.of(FieldDef.ofLong("value")), "group g: measure cpu has fields [value:DOUBLE]; a definition "
                        + "with fields [value:LONG] has field value as LONG: a field's type cannot change");
                assertCheckRefused(db, List.of(FieldDef.ofDouble("extra"), FieldDef.ofDouble("value")), "group g: measure cpu has fields "
                        + "[value:DOUBLE]; a definition with fields [extra:DOUBLE, value:DOUBLE] has extra where value is: fields can "
                        + "only be appended, in order");
                db.checkFields("cpu", V1);
                db.checkFields("cpu", List.of(FieldDef.ofDouble("value"), FieldDef.ofDouble("extra")));
                db.checkFields("mem", List.of(FieldDef.ofLong("value")));
                // Nothing was admitted: a batch with the first field list checked is still refused, V2 still accepted.
                db.write(new WriteBatch("cpu", V2, 1).add(h1, T0 + 1, 2.0, 3L));
                assertEquals(2, db.query(Query.of("cpu", TimeRange.all())).series().get(0).size());
            }
        }
    }

    private static void assertCheckRefused(Tsdb db, List<FieldDef> fields, String message) {
        try {
            db.checkFields("cpu", fields);
            fail("accepted " + fields);
        } catch (StorageException e) {
            assertEquals(message, e.getMessage());
        }
    }

    /** Dropping, reordering or retyping a field is refused whole, naming the measure and the field, also after a reopen. */
    @Test
    public void r11_removingReorderingOrRetypingAFieldIsRefusedNamingIt() {
        SeriesRef h1 = SeriesRef.of("cpu", "host", "h1");
        try (TsdbEngine engine = engine(1_000_000)) {
            try (Tsdb db = engine.open("g", OPTIONS)) {
                db.write(new WriteBatch("cpu", V2, 1).add(h1, T0, 1.0, 1L));
            }
            try (Tsdb db = engine.open("g", OPTIONS)) {
                assertRefused(db, new WriteBatch("cpu", V1, 1).add(h1, T0 + 1, 2.0),
                        "group g: measure cpu has fields [value:DOUBLE, extra:LONG]; this batch lacks [extra:LONG]: fields cannot be "
                                + "removed (pass null for a value a point does not have)");
                assertRefused(db, new WriteBatch("cpu", List.of(FieldDef.ofDouble("value"), FieldDef.ofDouble("extra")), 1)
                        .add(h1, T0 + 1, 2.0, 3.0),
                        "group g: measure cpu has fields [value:DOUBLE, extra:LONG]; this batch has field extra as DOUBLE: "
                                + "a field's type cannot change");
                assertRefused(db, new WriteBatch("cpu", List.of(FieldDef.ofLong("extra"), FieldDef.ofDouble("value")), 1)
                        .add(h1, T0 + 1, 3L, 2.0),
                        "group g: measure cpu has fields [value:DOUBLE, extra:LONG]; this batch has extra where value is: fields can "
                                + "only be appended, in order (batch fields [extra:LONG, value:DOUBLE])");
                assertRefused(db, new WriteBatch("cpu", List.of(FieldDef.ofDouble("value"), FieldDef.ofLong("other")), 1)
                        .add(h1, T0 + 1, 2.0, 3L),
                        "group g: measure cpu has fields [value:DOUBLE, extra:LONG]; this batch has other where extra is: fields can "
                                + "only be appended, in order (batch fields [value:DOUBLE, other:LONG])");
                // A point may leave a field absent explicitly.
                db.write(new WriteBatch("cpu", V2, 1).add(h1, T0 + 1, 2.0, null));
                SeriesRows rows = db.query(Query.of("cpu", TimeRange.all())).series().get(0);
                assertEquals(2, rows.size());
                assertFalse(rows.isPresent("extra", 1));
            }
        }
    }

    private static void assertRefused(Tsdb db, WriteBatch batch, String message) {
        int before = db.query(Query.of("cpu", TimeRange.all())).series().stream().mapToInt(SeriesRows::size).sum();
        try {
            db.write(batch);
            fail(message);
        } catch (StorageException e) {
            assertEquals(message, e.getMessage());
        }
        assertEquals("nothing stored", before, db.query(Query.of("cpu", TimeRange.all())).series().stream().mapToInt(SeriesRows::size).sum());
    }

    /**
     * Random layouts: points written before and after a field is added, overwrites across the
     * change, flushes, merges (small flush thresholds) and reopens at random moments; every raw and
     * aggregate answer equals the reference, where old points lack the new field.
     */
    @Test
    public void r11_pointsBeforeAndAfterAFieldIsAddedAnswerLikeTheReferenceInEveryLayout() {
        List<SeriesRef> all = List.of(SeriesRef.of("m", Map.of("host", "a"), Map.of("region", "x")),
                SeriesRef.of("m", Map.of("host", "b"), Map.of("region", "y")), SeriesRef.of("m", Map.of("host", "c"), Map.of("region", "x")));
        List<FieldDef> before = List.of(FieldDef.ofDouble("d"));
        List<FieldDef> after = List.of(FieldDef.ofDouble("d"), FieldDef.ofLong("l"));
        for (int seed = 0; seed < 12; seed++) {
            Random random = new Random(seed);
            long threshold = random.nextInt(3) == 0 ? 1_000_000 : 15 + random.nextInt(100);
            ReferenceAggregates reference = new ReferenceAggregates(after);
            String group = "g" + seed;
            try (TsdbEngine engine = engine(threshold)) {
                Tsdb db = engine.open(group, OPTIONS);
                int batches = 6 + random.nextInt(12);
                int grownAt = 1 + random.nextInt(batches - 2);
                for (int b = 0; b < batches; b++) {
                    boolean grown = b >= grownAt;
                    WriteBatch batch = new WriteBatch("m", grown ? after : before, 64);
                    for (int i = 1 + random.nextInt(120); i > 0; i--) {
                        SeriesRef s = all.get(random.nextInt(grown ? all.size() : 2));
                        long t = T0 + 60_000L * random.nextInt(3000);
                        double d = Math.round(random.nextGaussian() * 1000) / 10.0;
                        Long l = grown && random.nextInt(4) > 0 ? (long) random.nextInt(1000) : null;
                        if (grown) {
                            batch.add(s, t, d, l);
                        } else {
                            batch.add(s, t, d);
                        }
                        reference.write(s, t, new long[] {Double.doubleToRawLongBits(d), l == null ? FieldType.LONG.absentRaw() : l});
                    }
                    db.write(batch);
                    switch (random.nextInt(5)) {
                        case 0 -> db.flush();
                        case 1 -> {
                            db.close();
                            db = engine.open(group, OPTIONS);
                        }
                        default -> {
                        }
                    }
                }
                for (Query base : List.of(Query.of("m", TimeRange.all()), Query.of("m", TimeRange.all()).fields("l"),
                        Query.of("m", new TimeRange(T0 + 20 * 3_600_000L, T0 + 40 * 3_600_000L)).fields("l", "d"))) {
                    String context = "seed " + seed + " " + base;
                    assertEquals(context, rawOf(reference, base, after), rawOf(db.query(base).series()));
                    for (Query q : List.of(base.aggregate(AggregateFunction.values()), base.aggregate(AggregateFunction.values()).groupBy("region"),
                            base.aggregate(AggregateFunction.values()).bucket(3_600_000L).groupBy())) {
                        assertEquals(context + " " + q, reference.aggregate(q), sorted(db.query(q).rows()));
                    }
                }
                db.close();
            }
        }
    }

    private static List<AggregateRow> sorted(List<AggregateRow> rows) {
        return rows.stream().sorted(java.util.Comparator.comparing((AggregateRow r) -> r.group().toString())
                .thenComparingLong(AggregateRow::bucketStart)).toList();
    }

    /** Raw rows as text: tags, then per row the timestamp and the raw words of the projected fields. */
    private static String rawOf(List<SeriesRows> series) {
        StringBuilder text = new StringBuilder();
        for (SeriesRows s : series.stream().sorted(java.util.Comparator.comparing(r -> r.tags().toString())).toList()) {
            text.append(s.tags()).append('\n');
            for (int i = 0; i < s.size(); i++) {
                text.append(s.timestamps()[i]);
                for (long[] column : s.columns()) {
                    text.append(' ').append(column[i]);
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    private static String rawOf(ReferenceAggregates reference, Query query, List<FieldDef> fields) {
        List<String> names = query.fields().isEmpty() ? fields.stream().map(FieldDef::name).toList() : query.fields();
        StringBuilder text = new StringBuilder();
        for (var series : reference.points.entrySet().stream().sorted(java.util.Comparator.comparing(e -> e.getKey().allTags().toString())).toList()) {
            StringBuilder rows = new StringBuilder();
            for (var p : series.getValue().subMap(query.range().startMillis(), query.range().endMillis()).entrySet()) {
                StringBuilder row = new StringBuilder().append(p.getKey());
                boolean any = false;
                for (String name : names) {
                    int f = name.equals("d") ? 0 : 1;
                    row.append(' ').append(p.getValue()[f]);
                    any |= p.getValue()[f] != fields.get(f).type().absentRaw();
                }
                if (any) {
                    rows.append(row).append('\n');
                }
            }
            if (rows.length() > 0) {
                text.append(series.getKey().allTags()).append('\n').append(rows);
            }
        }
        return text.toString();
    }
}
