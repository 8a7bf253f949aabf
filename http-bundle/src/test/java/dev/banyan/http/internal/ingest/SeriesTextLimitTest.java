package dev.banyan.http.internal.ingest;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.Test;

import dev.banyan.server.api.SchemalessLayout;
import dev.banyan.storage.api.SeriesRef;

/** [S18] The protocol doors' limit on a schemaless series is the storage's, byte for byte. */
public class SeriesTextLimitTest {

    /**
     * [S18] The protocol doors refuse exactly what the storage would: the longest label value the
     * storage accepts for a schemaless series passes, one byte more is refused naming the label,
     * whatever else the series holds (multi-byte text, escaped characters, a surrogate pair).
     */
    @Test
    public void s18_sizeLimitIsTheStoragesExactly() {
        for (String other : List.of("", "\u00e9\"\\\n", "\uD83D\uDE00 x")) {
            int low = 0;
            int high = SeriesRef.MAX_TEXT_BYTES;
            while (low < high) { // the longest value of label path the storage accepts
                int middle = (low + high + 1) >>> 1;
                if (storageAccepts(labels(middle, other))) {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            assertNull(SeriesTextLimit.sizeProblem("m", labels(low, other)));
            String problem = SeriesTextLimit.sizeProblem("m", labels(low + 1, other));
            assertTrue(problem, problem != null && problem.startsWith("label path has a value of " + (low + 1) + " bytes")
                    && problem.contains("limit of " + SeriesRef.MAX_TEXT_BYTES + " bytes per series"));
        }
    }

    private static TreeMap<String, String> labels(int pathBytes, String other) {
        TreeMap<String, String> labels = new TreeMap<>();
        labels.put("path", "x".repeat(pathBytes));
        if (!other.isEmpty()) {
            labels.put("zone", other);
        }
        return labels;
    }

    /** Whether the storage makes the series a schemaless write stores for these labels. */
    private static boolean storageAccepts(TreeMap<String, String> labels) {
        try {
            SeriesRef.of("m", Map.of(SchemalessLayout.ENTITY_TAG, SchemalessLayout.encode(labels)), labels);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
