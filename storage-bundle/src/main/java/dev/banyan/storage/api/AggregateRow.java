package dev.banyan.storage.api;

import java.util.Map;

/**
 * One aggregated row.
 *
 * @param group       the tag values of the group (all tags of the series when grouping per series)
 * @param bucketStart the start of the time bucket, or the query start when there are no buckets
 * @param values      column name (e.g. {@code avg(value)}) to value
 */
public record AggregateRow(Map<String, String> group, long bucketStart, Map<String, Double> values) {

    public double value(AggregateFunction function, String field) {
        Double v = values.get(function.column(field));
        if (v == null) {
            throw new IllegalArgumentException("no column " + function.column(field) + " in " + values.keySet());
        }
        return v;
    }
}
