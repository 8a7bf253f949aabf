package dev.banyan.server.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.Test;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.testsupport.TrickyText;

/**
 * The schemaless layout, the one rule writers (remote write, line protocol) and readers (remote
 * read, PromQL) share: a series' label set becomes one text that no other label set shares, and a
 * measure written so is found again as Prometheus series.
 */
public class SchemalessLayoutTest {

    @Test
    public void aMeasureCreatedSchemalessIsAPrometheusMetricOnlyWithTheDoubleValueField() {
        Measure metric = SchemalessLayout.measure("prometheus", "http_requests_total", new java.util.TreeSet<>(List.of("job", "code")),
                List.of(new FieldSpec(SchemalessLayout.VALUE_FIELD, FieldSpec.FieldType.DOUBLE)));
        assertEquals(List.of(SchemalessLayout.ENTITY_TAG), metric.entity());
        assertEquals(List.of(SchemalessLayout.ENTITY_TAG, "code", "job"), metric.tags().stream().map(TagSpec::name).toList());
        assertTrue(SchemalessLayout.isSchemaless(metric));
        assertTrue(SchemalessLayout.isPrometheusMetric(metric));

        Measure influx = SchemalessLayout.measure("telegraf", "cpu", List.of("host"),
                List.of(new FieldSpec(SchemalessLayout.VALUE_FIELD, FieldSpec.FieldType.LONG)));
        assertTrue(SchemalessLayout.isSchemaless(influx));
        assertFalse("a LONG value is not a Prometheus sample", SchemalessLayout.isPrometheusMetric(influx));

        Measure declared = new Measure("sw", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
                List.of(new FieldSpec(SchemalessLayout.VALUE_FIELD, FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0);
        assertFalse(SchemalessLayout.isSchemaless(declared));
        assertFalse(SchemalessLayout.isPrometheusMetric(declared));
    }

    @Test
    public void storedTagsReadBackAsTheSameLabels() {
        TreeMap<String, String> labels = new TreeMap<>(Map.of("job", "api", "path", "/x\"y"));
        Map<String, String> stored = SchemalessLayout.storedTags(labels);
        assertEquals("{job=\"api\",path=\"/x\\\"y\"}", stored.get(SchemalessLayout.ENTITY_TAG));
        assertEquals(labels, SchemalessLayout.labels(stored));
        // A label name the measure gained after this series was written reads as absent.
        Map<String, String> widened = new java.util.HashMap<>(stored);
        widened.put("instance", "");
        assertEquals(labels, SchemalessLayout.labels(widened));
    }


    @Test
    public void canonicalTextIsSortedAndEscaped() {
        assertEquals("{a=\"1\",b=\"x\\\"y\\\\z\\n\"}", SchemalessLayout.encode(new TreeMap<>(Map.of("b", "x\"y\\z\n", "a", "1"))));
        assertEquals("{}", SchemalessLayout.encode(new TreeMap<>()));
    }

    @Test
    public void labelSetsThatLookAlikeStayDistinct() {
        List<Map<String, String>> sets = List.of(
                Map.of("a", "1\",b=\"2"), Map.of("a", "1", "b", "2"),
                Map.of("a", "x\\"), Map.of("a", "x\\\\"), Map.of("a", "\\\""), Map.of("a", "\""),
                Map.of("a", "", "b", ""), Map.of("a", ",b=\"\""), Map.of("ab", "c"), Map.of("a", "bc"));
        Set<String> texts = new HashSet<>();
        for (Map<String, String> set : sets) {
            texts.add(SchemalessLayout.encode(new TreeMap<>(set)));
        }
        assertEquals(sets.size(), texts.size());
    }

    /** Property: two random label sets (values of every delimiter and escape) share a text only if they are equal. */
    @Test
    public void textIsEqualExactlyWhenTheLabelSetsAre() {
        Random random = new Random(12);
        String[] names = {"a", "b", "ab", "a_b"};
        for (int round = 0; round < 20_000; round++) {
            TreeMap<String, String> left = new TreeMap<>();
            TreeMap<String, String> right = new TreeMap<>();
            for (String name : names) {
                if (random.nextBoolean()) {
                    left.put(name, TrickyText.next(random, 1, 3));
                }
                if (random.nextBoolean()) {
                    right.put(name, random.nextInt(4) == 0 && left.containsKey(name) ? left.get(name) : TrickyText.next(random, 1, 3));
                }
            }
            assertEquals(left + " vs " + right, left.equals(right), SchemalessLayout.encode(left).equals(SchemalessLayout.encode(right)));
        }
    }
}
