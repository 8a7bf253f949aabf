package dev.banyan.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;

/**
 * How series written without a declared schema (Prometheus remote write, the InfluxDB line
 * protocol) are stored as measures: the one owner of these rules, for the writers that create such
 * measures and the readers (remote read, PromQL) that find their series again.
 * <ul>
 * <li>A metric (measurement) is a measure of the group; each label (tag key) is a STRING tag.</li>
 * <li>The measure's single entity tag {@value #ENTITY_TAG} holds the series' whole label set as one
 * canonical text ({@link #encode}). Why one entity tag: a measure's tags grow as new label names
 * appear, but its entity, and so the series id the storage hashes from it, never changes, so
 * existing series keep their identity. The name holds a '-', which no Prometheus label name can,
 * and the line protocol refuses it as a tag key.</li>
 * <li>A label with an empty value is the same as an absent one (Prometheus's rule): never stored.</li>
 * <li>A Prometheus sample's value is the DOUBLE field {@value #VALUE_FIELD}, stored bit-exact
 * (staleness markers included).</li>
 * </ul>
 */
public final class SchemalessLayout {

    /** The entity tag of every schemaless measure: the series' canonical label set ({@link #encode}). */
    public static final String ENTITY_TAG = "series-labels";
    /** The DOUBLE field holding a Prometheus sample's value. */
    public static final String VALUE_FIELD = "value";

    private SchemalessLayout() {
    }

    /**
     * A new schemaless measure: the entity tag first, then one STRING tag per label name.
     *
     * @throws dev.banyan.schema.api.InvalidSchemaException as {@link Measure} for names it refuses
     */
    public static Measure measure(String group, String name, Iterable<String> labelNames, List<FieldSpec> fields) {
        List<TagSpec> tags = new ArrayList<>();
        tags.add(new TagSpec(ENTITY_TAG, TagSpec.TagType.STRING));
        labelNames.forEach(label -> tags.add(new TagSpec(label, TagSpec.TagType.STRING)));
        return new Measure(group, name, tags, fields, List.of(ENTITY_TAG), 0, 0);
    }

    /** Whether the measure has the schemaless layout (its entity is {@value #ENTITY_TAG} alone). */
    public static boolean isSchemaless(Measure measure) {
        return measure.entity().equals(List.of(ENTITY_TAG));
    }

    /** Whether the measure holds Prometheus series: schemaless, with the DOUBLE field {@value #VALUE_FIELD}. */
    public static boolean isPrometheusMetric(Measure measure) {
        return isSchemaless(measure) && measure.fields().stream()
                .anyMatch(f -> f.name().equals(VALUE_FIELD) && f.type() == FieldSpec.FieldType.DOUBLE);
    }

    /**
     * The text of {@value #ENTITY_TAG} for a label set: sorted by name, written as
     * {@code {job="api",path="/x"}}; in values, backslash, double quote and newline are escaped
     * ({@code \\}, {@code \"}, {@code \n}), so two different label sets never share a text (names cannot
     * hold {@code =}, {@code "} or {@code ,}).
     *
     * @param labels name to non-empty value, sorted by name
     */
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

    /**
     * The tags to store for a point with these labels: the labels and, in {@value #ENTITY_TAG}, their
     * canonical text.
     *
     * @param labels name to non-empty value, sorted by name
     */
    public static Map<String, String> storedTags(SortedMap<String, String> labels) {
        Map<String, String> stored = new TreeMap<>(labels);
        stored.put(ENTITY_TAG, encode(labels));
        return Map.copyOf(stored);
    }

    /**
     * A stored series' labels (without the metric name): its tags less {@value #ENTITY_TAG}, and less
     * those without a value (a label name the measure gained after the series was written).
     */
    public static SortedMap<String, String> labels(Map<String, String> storedTags) {
        SortedMap<String, String> labels = new TreeMap<>();
        storedTags.forEach((tag, value) -> {
            if (!tag.equals(ENTITY_TAG) && value != null && !value.isEmpty()) {
                labels.put(tag, value);
            }
        });
        return labels;
    }
}
