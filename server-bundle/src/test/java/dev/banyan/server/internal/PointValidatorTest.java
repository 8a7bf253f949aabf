package dev.banyan.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.testsupport.TrickyText;

/** [S16] Points of one write call are filed under the series their own tag maps name. */
public class PointValidatorTest {

    private static final Measure CPU = new Measure("sw", "cpu",
            List.of(new TagSpec("host", TagSpec.TagType.STRING), new TagSpec("region", TagSpec.TagType.STRING),
                    new TagSpec("zone", TagSpec.TagType.STRING)),
            List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host", "region"), 0, 0);

    /** The pair: its joined text was the same, its tags are not. */
    @Test
    public void s16_tagValuesThatJoinToTheSameTextAreDifferentSeries() {
        Measure hostOnly = new Measure("sw", "cpu", CPU.tags(), CPU.fields(), List.of("host"), 0, 0);
        WriteBatch batch = PointValidator.toBatch(hostOnly, List.of(
                new DataPoint(1000, Map.of("host", "x}|{region=y"), Map.of("value", 1.0)),
                new DataPoint(1000, Map.of("host", "x", "region", "y}|{"), Map.of("value", 2.0))));
        assertNotEquals(batch.series(0), batch.series(1));
        assertEquals(Map.of("host", "x}|{region=y"), batch.series(0).allTags());
        assertEquals(Map.of("host", "x", "region", "y}|{"), batch.series(1).allTags());
    }

    /** Two entity tags: a value holding the map's own ", name=" syntax must not absorb the next tag. */
    @Test
    public void s16_entityValuesThatPrintAlikeAreDifferentSeries() {
        WriteBatch batch = PointValidator.toBatch(CPU, List.of(
                new DataPoint(1000, Map.of("host", "x, region=y", "region", "z"), Map.of("value", 1.0)),
                new DataPoint(1000, Map.of("host", "x", "region", "y, region=z"), Map.of("value", 2.0))));
        assertNotEquals(batch.series(0), batch.series(1));
        assertEquals("y, region=z", batch.series(1).entity().get("region"));
    }

    /** [R11] After a field is added to a measure, writers that do not know it still write: it is absent. */
    @Test
    public void r11_aFieldThePointLeavesOutIsAbsentButAPointNeedsOneField() {
        Measure grown = new Measure("sw", "cpu", CPU.tags(), List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE),
                new FieldSpec("extra", FieldSpec.FieldType.LONG)), CPU.entity(), 0, 0);
        WriteBatch batch = PointValidator.toBatch(grown, List.of(
                new DataPoint(1000, Map.of("host", "h", "region", "r"), Map.of("value", 1.5)),
                new DataPoint(2000, Map.of("host", "h", "region", "r"), Map.of("extra", 7L))));
        assertEquals(FieldType.LONG.absentRaw(), batch.rawValue(0, 1));
        assertEquals(FieldType.DOUBLE.absentRaw(), batch.rawValue(1, 0));
        assertEquals(7L, batch.rawValue(1, 1));
        try {
            PointValidator.toBatch(grown, List.of(new DataPoint(1000, Map.of("host", "h", "region", "r"), Map.of())));
            fail("a point without fields");
        } catch (InvalidPointException e) {
            assertEquals("measure sw/cpu: point 0: no field value; a point needs at least one of [value, extra]", e.getMessage());
        }
        try {
            PointValidator.toBatch(grown, List.of(new DataPoint(1000, Map.of("host", "h", "region", "r"), Map.of("extra", Long.MIN_VALUE))));
            fail("the reserved LONG");
        } catch (InvalidPointException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("measure sw/cpu: point 0: measure cpu: field extra of series"));
        }
    }

    /** Random tag values made of delimiters and escapes: every point keeps exactly its own tags. */
    @Test
    public void s16_everyPointIsFiledUnderItsOwnTagsWhateverTheyContain() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            List<DataPoint> points = new ArrayList<>();
            for (int p = 0; p < 40; p++) {
                Map<String, String> tags = new HashMap<>();
                tags.put("host", TrickyText.next(random, 0, 4));
                tags.put("region", TrickyText.next(random, 0, 4));
                if (random.nextBoolean()) {
                    tags.put("zone", TrickyText.next(random, 0, 4));
                }
                points.add(new DataPoint(1000 + p, tags, Map.of("value", (double) p)));
            }
            WriteBatch batch = PointValidator.toBatch(CPU, points);
            Map<Map<String, String>, SeriesRef> seen = new LinkedHashMap<>();
            for (int p = 0; p < points.size(); p++) {
                SeriesRef ref = batch.series(p);
                Map<String, String> entity = Map.of("host", points.get(p).tags().get("host"), "region",
                        points.get(p).tags().get("region"));
                assertEquals("seed " + seed + " point " + p, entity, ref.entity());
                assertEquals("seed " + seed + " point " + p, points.get(p).tags(), ref.allTags());
                SeriesRef before = seen.putIfAbsent(entity, ref);
                if (before != null) {
                    assertEquals("seed " + seed + ": the same entity is the same series", before, ref);
                }
            }
            long distinctIds = seen.values().stream().mapToLong(SeriesRef::id).distinct().count();
            assertEquals("seed " + seed + ": distinct entities, distinct series", seen.size(), distinctIds);
        }
    }
}
