package dev.banyan.storage.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * [S17] A read of one measure over [start, end): series selected by tag equality ({@code tagEquals})
 * and by {@link TagMatcher}s ({@code =}, {@code !=}, {@code =~}, {@code !~}, Prometheus's rules:
 * an absent tag matches as the empty string), on entity or other tags, all of them ANDed; fields
 * projected; optionally aggregated per series, per group of tag values or over everything, in
 * optional time buckets. Build with {@link #of(String, TimeRange)}. The storage selects series
 * through its postings index (tag value to series), not by reading every series of the measure.
 */
public record Query(String measure, TimeRange range, Map<String, String> tagEquals, List<TagMatcher> matchers,
        List<String> fields, Set<AggregateFunction> functions, Grouping grouping, List<String> groupTags, long bucketMillis) {

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
        matchers = List.copyOf(matchers);
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
        return new Query(measure, range, Map.of(), List.of(), List.of(), Set.of(), Grouping.SERIES, List.of(), 0);
    }

    public Query where(String tag, String value) {
        Map<String, String> equals = new LinkedHashMap<>(tagEquals);
        equals.put(tag, value);
        return new Query(measure, range, equals, matchers, fields, functions, grouping, groupTags, bucketMillis);
    }

    /** Adds conditions; every matcher must hold (as every {@link #where} equality). */
    public Query match(TagMatcher... conditions) {
        List<TagMatcher> all = new ArrayList<>(matchers);
        all.addAll(List.of(conditions));
        return new Query(measure, range, tagEquals, all, fields, functions, grouping, groupTags, bucketMillis);
    }

    /** Every condition on tags as matchers: the {@link #where} equalities, then {@link #matchers()}. */
    public List<TagMatcher> allMatchers() {
        List<TagMatcher> all = new ArrayList<>(tagEquals.size() + matchers.size());
        tagEquals.forEach((tag, value) -> all.add(TagMatcher.equal(tag, value)));
        all.addAll(matchers);
        return all;
    }

    public Query fields(String... names) {
        return new Query(measure, range, tagEquals, matchers, List.of(names), functions, grouping, groupTags, bucketMillis);
    }

    public Query aggregate(AggregateFunction... fns) {
        return new Query(measure, range, tagEquals, matchers, fields, new LinkedHashSet<>(List.of(fns)), grouping, groupTags,
                bucketMillis);
    }

    /** Aggregates per distinct value combination of {@code tags}; no tags: everything in one group. */
    public Query groupBy(String... tags) {
        return new Query(measure, range, tagEquals, matchers, fields, functions, Grouping.TAGS, new ArrayList<>(List.of(tags)),
                bucketMillis);
    }

    public Query bucket(long millis) {
        return new Query(measure, range, tagEquals, matchers, fields, functions, grouping, groupTags, millis);
    }

    public boolean isAggregate() {
        return !functions.isEmpty();
    }
}
