package dev.banyan.http.internal.ingest;

import static org.junit.Assert.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.Test;

import dev.banyan.testsupport.TrickyText;

/** A series' label set becomes one text that no other label set shares. */
public class SeriesLabelsTest {

    @Test
    public void canonicalTextIsSortedAndEscaped() {
        assertEquals("{a=\"1\",b=\"x\\\"y\\\\z\\n\"}", SeriesLabels.encode(new TreeMap<>(Map.of("b", "x\"y\\z\n", "a", "1"))));
        assertEquals("{}", SeriesLabels.encode(new TreeMap<>()));
    }

    @Test
    public void labelSetsThatLookAlikeStayDistinct() {
        List<Map<String, String>> sets = List.of(
                Map.of("a", "1\",b=\"2"), Map.of("a", "1", "b", "2"),
                Map.of("a", "x\\"), Map.of("a", "x\\\\"), Map.of("a", "\\\""), Map.of("a", "\""),
                Map.of("a", "", "b", ""), Map.of("a", ",b=\"\""), Map.of("ab", "c"), Map.of("a", "bc"));
        Set<String> texts = new HashSet<>();
        for (Map<String, String> set : sets) {
            texts.add(SeriesLabels.encode(new TreeMap<>(set)));
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
            assertEquals(left + " vs " + right, left.equals(right), SeriesLabels.encode(left).equals(SeriesLabels.encode(right)));
        }
    }
}
