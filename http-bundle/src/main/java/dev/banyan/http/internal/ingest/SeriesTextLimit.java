package dev.banyan.http.internal.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;

import dev.banyan.server.api.SchemalessLayout;
import dev.banyan.storage.api.SeriesRef;

/**
 * [S18] The storage's limit on the text of one series, checked by the protocol doors for a
 * schemaless series before anything is provisioned or written, so the refusal names the label
 * instead of the identity tag that holds it.
 */
public final class SeriesTextLimit {

    private SeriesTextLimit() {
    }

    /**
     * Null if a schemaless series of {@code measure} with these labels fits the storage's limit on
     * the text of one series ({@link SeriesRef#MAX_TEXT_BYTES} bytes of UTF-8: measure name, tag
     * names and values); else why not, naming the largest label. A schemaless series stores each
     * label twice, as its own tag and inside {@value SchemalessLayout#ENTITY_TAG}
     * ({@link SchemalessLayout#storedTags}), so its labels may take about half the limit.
     *
     * @param labels name to non-empty value, sorted by name
     */
    public static String sizeProblem(String measure, SortedMap<String, String> labels) {
        // Cheap bound first (at most 3 bytes a char, an escape doubles a char): most series are far below.
        long chars = measure.length() + SchemalessLayout.ENTITY_TAG.length() + 2;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            chars += 2L * label.getKey().length() + 3L * label.getValue().length() + 4;
        }
        if (3 * chars <= SeriesRef.MAX_TEXT_BYTES) {
            return null;
        }
        long bytes = utf8(measure) + utf8(SchemalessLayout.ENTITY_TAG) + utf8(SchemalessLayout.encode(labels));
        String largest = null;
        long largestBytes = -1;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            long value = utf8(label.getValue());
            bytes += utf8(label.getKey()) + value;
            if (value > largestBytes) {
                largest = label.getKey();
                largestBytes = value;
            }
        }
        if (bytes <= SeriesRef.MAX_TEXT_BYTES) {
            return null;
        }
        return "label " + largest + " has a value of " + largestBytes + " bytes; the series' labels take " + bytes
                + " bytes as stored, more than the storage's limit of " + SeriesRef.MAX_TEXT_BYTES + " bytes per series "
                + "(measure name, label names and values, each label counted twice: as a tag and in the series identity "
                + SchemalessLayout.ENTITY_TAG + ")";
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
