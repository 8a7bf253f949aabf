package dev.banyan.storage.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * [S17] A read of one measure over [start, end): series selected by tag equality (entity or other
 * tags), fields projected, and optionally aggregated per series, per group of tag values or over
 * everything, in optional time buckets. Build with {@link #of(String, TimeRange)}.
 */
public record Query(String measure, TimeRange range, Map<String, String> tagEquals, List<String> fields,
        Set<AggregateFunction> functions, Grouping grouping, List<String> groupTags, long bucketMillis) {

    /** How aggregated rows are grouped. */
    public enum Grouping {
        /** One group per series. */
        SERIES,
        /** One group per distinct combination of the {@code groupTags} values ({@code groupTags} empty: one group). */
        TAGS
    }

    public Query {
        Objects.requireNonNull(measure, "measure");
        Objects.requireNonNull(range, "range");
        tagEquals = Map.copyOf(tagEquals);
        fields = List.copyOf(fields);
        functions = Set.copyOf(functions);
        groupTags = List.copyOf(groupTags);
        if (bucketMillis < 0) {
            throw new IllegalArgumentException("bucket must not be negative: " + bucketMillis);
        }
        if (functions.isEmpty() && (bucketMillis > 0 || grouping == Grouping.TAGS)) {
            throw new IllegalArgumentException("buckets and groupBy need at least one aggregate function");
        }
    }

    /** All fields of every series of {@code measure} in {@code range}, raw. */
    public static Query of(String measure, TimeRange range) {
        return new Query(measure, range, Map.of(), List.of(), Set.of(), Grouping.SERIES, List.of(), 0);
    }

    public Query where(String tag, String value) {
        Map<String, String> equals = new LinkedHashMap<>(tagEquals);
        equals.put(tag, value);
        return new Query(measure, range, equals, fields, functions, grouping, groupTags, bucketMillis);
    }

    public Query fields(String... names) {
        return new Query(measure, range, tagEquals, List.of(names), functions, grouping, groupTags, bucketMillis);
    }

    public Query aggregate(AggregateFunction... fns) {
        return new Query(measure, range, tagEquals, fields, new LinkedHashSet<>(List.of(fns)), grouping, groupTags, bucketMillis);
    }

    /** Aggregates per distinct value combination of {@code tags}; no tags: everything in one group. */
    public Query groupBy(String... tags) {
        return new Query(measure, range, tagEquals, fields, functions, Grouping.TAGS, new ArrayList<>(List.of(tags)), bucketMillis);
    }

    public Query bucket(long millis) {
        return new Query(measure, range, tagEquals, fields, functions, grouping, groupTags, millis);
    }

    public boolean isAggregate() {
        return !functions.isEmpty();
    }
}
