package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.utc;
import static org.junit.Assert.assertEquals;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

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
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * [S17] Selecting series by matchers through the postings index gives exactly what checking every
 * series would: raw and aggregate queries, series listing and tag values, from memtables, parts,
 * several segments, after tags change and after a reopen rebuilds the index.
 */
public class TagMatcherQueryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 3)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    /** UTC midnight: each day below is one segment (new groups name and cut segments in UTC [S12]). */
    private static final long T0 = utc(2024, 1, 1, 0, 0, 0);

    /**
     * Per day (one segment each), the tags of each series as the reference knows them: non-entity
     * tags are kept per series per segment, so a day written with other tags answers with those.
     */
    private final Map<Integer, Map<SeriesRef, Map<String, String>>> reference = new TreeMap<>();

    private TsdbEngine engine() {
        // A small flush threshold puts series in parts and memtables alike.
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 150);
    }

    private SeriesRef series(int i, String regionSuffix, int day) {
        Map<String, String> tags = new HashMap<>();
        if (i % 7 != 0) {
            tags.put("region", "r_" + (i % 5) + regionSuffix);
        }
        if (i % 3 == 0) {
            tags.put("dc", "dc" + (i % 2));
        }
        if (i % 11 == 0) {
            tags.put("zone", ""); // stored empty: the same as absent for matchers
        }
        SeriesRef ref = SeriesRef.of("m", Map.of("host", "host_" + i), tags);
        Map<String, String> all = new TreeMap<>(tags);
        all.put("host", "host_" + i);
        reference.computeIfAbsent(day, d -> new LinkedHashMap<>()).put(ref, all);
        return ref;
    }

    private void write(Tsdb db, String regionSuffix, int day) {
        long dayOffset = day * 86_400_000L;
        WriteBatch batch = new WriteBatch("m", VALUE, 64);
        for (int i = 0; i < 120; i++) {
            SeriesRef ref = series(i, regionSuffix, day);
            for (int p = 0; p < 3; p++) {
                batch.add(ref, T0 + dayOffset + p * 60_000L, i + p / 10.0);
            }
            if (batch.size() >= 60) {
                db.write(batch);
                batch.clear();
            }
        }
        db.write(batch);
        // Another measure with the same tag values must never leak into m's answers.
        WriteBatch other = new WriteBatch("other", VALUE, 4);
        other.add(SeriesRef.of("other", Map.of("host", "host_1"), Map.of("region", "r_1")), T0 + dayOffset, 1.0);
        db.write(other);
    }

    @Test
    public void indexedSelectionEqualsCheckingEverySeries() {
        try (TsdbEngine engine = engine()) {
            Tsdb db = engine.open("g", OPTIONS);
            write(db, "", 0);
            write(db, "", 1); // a second segment
            checkRandomMatchers(db, 1);
            // Non-entity tags change: the index follows, old values no longer select the series in that segment.
            write(db, "x", 2);
            write(db, "x", 2); // the same points again: last write wins, nothing doubles
            checkRandomMatchers(db, 2);
            assertEquals(List.of(), db.series("m", List.of(TagMatcher.equal("region", "r_1")), day(2)));
            assertEquals(List.of(), db.query(Query.of("m", day(2)).match(TagMatcher.equal("region", "r_1"))).series());
        }
        try (TsdbEngine engine = engine()) {
            checkRandomMatchers(engine.open("g", OPTIONS), 3); // rebuilt from parts and logs
        }
    }

    private static TimeRange day(int day) {
        return new TimeRange(T0 + day * 86_400_000L, T0 + (day + 1) * 86_400_000L);
    }

    private void checkRandomMatchers(Tsdb db, long seed) {
        Random random = new Random(seed);
        String[] tags = {"region", "dc", "zone", "host", "missing"};
        String[] values = {"", "r_1", "r_1x", "dc0", "host_7", "nope"};
        String[] regexes = {"", ".*", ".+", "r_[12]", "r_[12]x?", "host_1.*", "dc0|", "(?i)R_3", "x|r_4"};
        for (int round = 0; round < 300; round++) {
            List<TagMatcher> matchers = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                String tag = tags[random.nextInt(tags.length)];
                TagMatcher.Op op = TagMatcher.Op.values()[random.nextInt(4)];
                boolean regex = op == TagMatcher.Op.REGEX || op == TagMatcher.Op.NOT_REGEX;
                matchers.add(TagMatcher.of(tag, op, regex ? regexes[random.nextInt(regexes.length)] : values[random.nextInt(values.length)]));
            }
            TagMatcher[] conditions = matchers.toArray(new TagMatcher[0]);
            for (Map.Entry<Integer, Map<SeriesRef, Map<String, String>>> day : reference.entrySet()) {
                TreeSet<String> expectedHosts = new TreeSet<>();
                TreeSet<String> expectedRegions = new TreeSet<>();
                for (Map<String, String> all : day.getValue().values()) {
                    if (matchers.stream().allMatch(m -> m.matches(all.get(m.tag())))) {
                        expectedHosts.add(all.get("host"));
                        if (all.containsKey("region")) {
                            expectedRegions.add(all.get("region"));
                        }
                    }
                }
                String what = "round " + round + " day " + day.getKey() + " " + matchers;
                TimeRange range = day(day.getKey());
                TreeSet<String> queried = new TreeSet<>();
                for (SeriesRows rows : db.query(Query.of("m", range).match(conditions)).series()) {
                    queried.add(rows.tags().get("host"));
                    assertEquals(what, 3, rows.size());
                }
                assertEquals(what, expectedHosts, queried);
                TreeSet<String> listed = new TreeSet<>();
                db.series("m", matchers, range).forEach(t -> listed.add(t.get("host")));
                assertEquals(what, expectedHosts, listed);
                assertEquals(what, new ArrayList<>(expectedRegions), db.tagValues("m", "region", matchers, range));
                long counted = db.query(Query.of("m", range).match(conditions).aggregate(AggregateFunction.COUNT).groupBy()).rows()
                        .stream().mapToLong(r -> (long) r.value(AggregateFunction.COUNT, "value")).sum();
                assertEquals(what, expectedHosts.size() * 3L, counted);
            }
        }
    }
}
