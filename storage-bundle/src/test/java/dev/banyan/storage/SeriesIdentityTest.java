package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.lang.reflect.Field;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
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
import dev.banyan.testsupport.TrickyText;

/** [S16] A series is its measure and entity tag map: never a joined string, never the order of a map. */
public class SeriesIdentityTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 3)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final List<FieldDef> VALUE = List.of(FieldDef.ofLong("value"));
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);

    private TsdbEngine engine(long flushThreshold) {
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), flushThreshold);
    }

    /** Tags as the test wrote them: entity and other tags of one series. */
    private record Written(Map<String, String> entity, Map<String, String> tags) {
        Map<String, String> all() {
            Map<String, String> all = new TreeMap<>(entity);
            all.putAll(tags);
            return all;
        }
    }

    /**
     * Random series whose tag names and values are made of delimiters, quotes, escapes, NUL, line
     * breaks and non-ASCII text, written in batches, then read back from memory, after a flush and
     * after a reopen: every series comes back alone, with its own tags and its own points.
     */
    @Test
    public void s16_distinctTagMapsStayDistinctSeriesThroughWriteFlushReopenAndQuery() {
        for (int seed = 0; seed < 12; seed++) {
            Random random = new Random(seed);
            Map<Map<String, String>, Written> series = new LinkedHashMap<>();
            while (series.size() < 60) {
                Map<String, String> entity = new LinkedHashMap<>();
                int entityTags = 1 + random.nextInt(3);
                while (entity.size() < entityTags) {
                    entity.put(TrickyText.next(random, 1, 3), TrickyText.next(random, 0, 4));
                }
                Map<String, String> tags = new LinkedHashMap<>();
                for (int t = random.nextInt(3); t > 0; t--) {
                    String name = TrickyText.next(random, 1, 3);
                    if (!entity.containsKey(name)) {
                        tags.put(name, TrickyText.next(random, 0, 4));
                    }
                }
                series.putIfAbsent(new TreeMap<>(entity), new Written(entity, tags));
            }
            List<Written> all = new ArrayList<>(series.values());
            String group = "g" + seed;
            try (TsdbEngine engine = engine(50)) {
                try (Tsdb db = engine.open(group, OPTIONS)) {
                    WriteBatch batch = new WriteBatch("m", VALUE, 64);
                    for (int point = 0; point < 3; point++) {
                        for (int s = 0; s < all.size(); s++) {
                            Written w = all.get(s);
                            batch.add(SeriesRef.of("m", w.entity(), w.tags()), T0 + point * 1000L, s * 10L + point);
                        }
                        db.write(batch);
                        batch.clear();
                    }
                    assertEveryoneDistinct("seed " + seed + ", memory and parts", db, all);
                    db.flush();
                    assertEveryoneDistinct("seed " + seed + ", flushed", db, all);
                }
                try (Tsdb db = engine.open(group, OPTIONS)) {
                    assertEveryoneDistinct("seed " + seed + ", reopened", db, all);
                }
            }
        }
    }

    private static void assertEveryoneDistinct(String when, Tsdb db, List<Written> all) {
        List<SeriesRows> rows = db.query(Query.of("m", TimeRange.all())).series();
        assertEquals(when + ": one result per series", all.size(), rows.size());
        Map<Map<String, String>, SeriesRows> byTags = new HashMap<>();
        for (SeriesRows r : rows) {
            assertEquals(when + ": tags come back unchanged and unshared", null, byTags.put(new TreeMap<>(r.tags()), r));
        }
        for (int s = 0; s < all.size(); s++) {
            SeriesRows r = byTags.get(all.get(s).all());
            assertTrue(when + ": series " + all.get(s) + " is missing", r != null);
            assertEquals(when, 3, r.size());
            for (int point = 0; point < 3; point++) {
                assertEquals(when + ": " + all.get(s), s * 10L + point, r.longValue("value", point));
            }
            // Selected by its entity tags, it is among the answers (others may carry the same as plain tags).
            Query where = Query.of("m", TimeRange.all());
            for (Map.Entry<String, String> e : all.get(s).entity().entrySet()) {
                where = where.where(e.getKey(), e.getValue());
            }
            Map<String, String> expected = all.get(s).all();
            assertTrue(when + ": selected by its entity", db.query(where).series().stream()
                    .anyMatch(found -> new TreeMap<>(found.tags()).equals(expected)));
        }
    }

    /** The same entity given as maps with different iteration orders is the same series. */
    @Test
    public void s16_seriesIdentityDoesNotDependOnTheEntityMapOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        SeriesRef first = SeriesRef.of("m", ab, Map.of());
        SeriesRef second = SeriesRef.of("m", ba, Map.of());
        assertEquals(first, second);
        assertEquals(first.id(), second.id());
        try (TsdbEngine engine = engine(1_000_000); Tsdb db = engine.open("g", OPTIONS)) {
            db.write(new WriteBatch("m", VALUE, 2).add(first, T0, 1L).add(second, T0, 2L));
            List<SeriesRows> rows = db.query(Query.of("m", TimeRange.all())).series();
            assertEquals("one series, the last write wins", 1, rows.size());
            assertEquals(2L, rows.get(0).longValue("value", 0));
        }
    }

    /**
     * Text UTF-8 cannot carry (an unpaired surrogate) would be stored as '?' and then be the same
     * series as a real '?': such tags are refused up front, naming the tag.
     */
    @Test
    public void s16_tagTextThatIsNotValidUnicodeIsRefusedNamingTheTag() {
        for (String bad : new String[] {"\uD800", "x\uDC00y", "\uDBFF"}) {
            try {
                SeriesRef.of("m", Map.of("host", bad), Map.of());
                fail("entity value " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("entity tag host") && e.getMessage().contains("unpaired surrogate"));
            }
            try {
                SeriesRef.of("m", Map.of("host", "h"), Map.of("re" + bad, "eu"));
                fail("tag name " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("tag name") && e.getMessage().contains("unpaired surrogate"));
            }
        }
        assertNotEquals("a surrogate pair is fine", SeriesRef.of("m", "host", "\uD83D\uDE00").id(), SeriesRef.of("m", "host", "?").id());
    }

    /**
     * The 64-bit series id is a hash: two different series could share one. A shard that meets a
     * second series under a known id refuses the write, naming both, instead of merging them.
     */
    @Test
    public void s16_aSeriesIdCollisionIsRefusedNotMerged() throws Exception {
        SeriesRef first = SeriesRef.of("m", "host", "a");
        SeriesRef impostor = SeriesRef.of("m", "host", "b");
        Field id = SeriesRef.class.getDeclaredField("id");
        id.setAccessible(true);
        id.setLong(impostor, first.id());
        try (TsdbEngine engine = engine(1_000_000); Tsdb db = engine.open("g", OPTIONS)) {
            db.write(new WriteBatch("m", VALUE, 1).add(first, T0, 1L));
            for (boolean flushed : new boolean[] {false, true}) {
                try {
                    db.write(new WriteBatch("m", VALUE, 1).add(impostor, T0 + 1, 2L));
                    fail("collision accepted (flushed " + flushed + ")");
                } catch (StorageException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("m{host=a}") && e.getMessage().contains("m{host=b}")
                            && e.getMessage().contains("share the series id"));
                }
                db.flush();
            }
            List<SeriesRows> rows = db.query(Query.of("m", TimeRange.all())).series();
            assertEquals(1, rows.size());
            assertEquals(Map.of("host", "a"), rows.get(0).tags());
            assertEquals(1, rows.get(0).size());
        }
    }
}
