package dev.banyan.http.internal.ingest;

import java.util.Map;
import java.util.SortedMap;

/**
 * The identity of a series written schemaless: its whole label (tag) set, in one canonical text
 * held by the measure's single entity tag {@value #TAG}. Labels are sorted by name and written as
 * {@code {job="api",path="/x"}}; in values, backslash, double quote and newline are escaped
 * ({@code \\}, {@code \"}, {@code \n}), so two different label sets never share a text (names
 * cannot hold {@code =}, {@code "} or {@code ,}). A label with an empty value is the same as an
 * absent one (Prometheus's rule) and is left out.
 * <p>
 * Why one entity tag: a measure's tags grow as new label names appear, but its entity, and so the
 * series id the storage hashes from it, never changes, so existing series keep their identity. The
 * tag name holds a '-', which no Prometheus label name can, and is refused as an InfluxDB tag key.
 */
public final class SeriesLabels {

    /** The entity tag of every schemaless measure. */
    public static final String TAG = "series-labels";

    private SeriesLabels() {
    }

    /** @param labels name to non-empty value, sorted by name */
    public static String encode(SortedMap<String, String> labels) {
        StringBuilder text = new StringBuilder(16 + labels.size() * 24).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!first) {
                text.append(',');
            }
            first = false;
            text.append(label.getKey()).append("=\"");
            String value = label.getValue();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> text.append("\\\\");
                    case '"' -> text.append("\\\"");
                    case '\n' -> text.append("\\n");
                    default -> text.append(c);
                }
            }
            text.append('"');
        }
        return text.append('}').toString();
    }
}
