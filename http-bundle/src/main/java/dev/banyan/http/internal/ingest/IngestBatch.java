package dev.banyan.http.internal.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

import dev.banyan.schema.api.FieldSpec.FieldType;

/**
 * The points of one request, grouped by measure, before anything is provisioned or written. Each
 * point keeps its origin (an index the protocol can describe, such as a line number), so every
 * refusal names where in the request it comes from.
 */
public final class IngestBatch {

    /** A point: its tags (non-empty values, no schemaless entity tag yet), time (ms) and fields (Double or Long). */
    record Point(SortedMap<String, String> tags, long timestampMillis, Map<String, Number> fields, int origin) {
    }

    /** The points of one measure and the tag and field names they use. */
    static final class MeasurePoints {
        final String measure;
        final TreeSet<String> tagNames = new TreeSet<>();
        /** Field name to the type of its first occurrence, in order of first occurrence. */
        final Map<String, FieldType> fields = new LinkedHashMap<>();
        final List<Point> points = new ArrayList<>();
        /** The tag map whose names are already in {@link #tagNames} (a protocol passes one map per series). */
        private SortedMap<String, String> lastTags;

        MeasurePoints(String measure) {
            this.measure = measure;
        }
    }

    private final IntFunction<String> origins;
    private final Map<String, MeasurePoints> measures = new LinkedHashMap<>();
    private int size;

    /** @param origins describes an origin index for messages, e.g. {@code i -> "line " + i} */
    public IngestBatch(IntFunction<String> origins) {
        this.origins = origins;
    }

    public String describe(int origin) {
        return origins.apply(origin);
    }

    /**
     * Adds a point. Whether its fields fit the measure (types) is decided when the batch is written:
     * by the measure's schema, or for a field new to it by the field's first occurrence.
     *
     * @param tags   name to non-empty value (the map is kept, not copied)
     * @param fields name to Double or Long
     */
    public void add(String measure, SortedMap<String, String> tags, long timestampMillis, Map<String, Number> fields, int origin) {
        MeasurePoints points = measures.computeIfAbsent(measure, MeasurePoints::new);
        fields.forEach((name, value) -> points.fields.putIfAbsent(name, type(value)));
        if (tags != points.lastTags) {
            points.tagNames.addAll(tags.keySet());
            points.lastTags = tags;
        }
        points.points.add(new Point(tags, timestampMillis, fields, origin));
        size++;
    }

    /** Points added so far. */
    public int size() {
        return size;
    }

    Iterable<MeasurePoints> measures() {
        return measures.values();
    }

    static FieldType type(Number value) {
        return value instanceof Long ? FieldType.LONG : FieldType.DOUBLE;
    }

    static String typeName(Number value) {
        return value instanceof Long ? "an integer" : "a float";
    }
}
