package dev.banyan.storage.api;

import java.math.BigInteger;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One aggregated row. Values are typed per column (docs/SEMANTICS.md, "Aggregates"):
 * <ul>
 * <li>{@code count}: {@link Long}, the values counted (absent values and staleness markers are not);
 * <li>{@code sum}, {@code min}, {@code max} of a LONG field: {@link Long}, exact; a sum beyond 64 bits
 * is a {@link BigInteger} (exact, never rounded);
 * <li>{@code sum}, {@code min}, {@code max} of a DOUBLE field and every {@code avg}: {@link Double};
 * <li>null for {@code sum}, {@code min}, {@code max} and {@code avg} when the group has no value of
 * the field.
 * </ul>
 *
 * @param group       the tag values of the group (all tags of the series when grouping per series)
 * @param bucketStart the start of the time bucket (epoch ms), or the query start when there are no buckets
 * @param values      column name (e.g. {@code avg(value)}) to value, in field then function order
 */
public record AggregateRow(Map<String, String> group, long bucketStart, Map<String, Number> values) {

    /**
     * The value of a column as computed, null when the group has no value of the field.
     *
     * @throws IllegalArgumentException if the query did not ask for this column
     */
    public Number value(AggregateFunction function, String field) {
        String column = function.column(field);
        if (!values.containsKey(column)) {
            throw new IllegalArgumentException("no column " + column + " in " + values.keySet());
        }
        return values.get(column);
    }

    /**
     * The value as a double: exact for DOUBLE columns, the nearest double for integer ones.
     *
     * @throws NoSuchElementException   if the group has no value of the field
     * @throws IllegalArgumentException if the query did not ask for this column
     */
    public double doubleValue(AggregateFunction function, String field) {
        return present(function, field).doubleValue();
    }

    /**
     * The exact integer value of a count, or of a sum, min or max of a LONG field.
     *
     * @throws ArithmeticException      if the column is a double, or a sum beyond 64 bits
     * @throws NoSuchElementException   if the group has no value of the field
     * @throws IllegalArgumentException if the query did not ask for this column
     */
    public long longValue(AggregateFunction function, String field) {
        Number v = present(function, field);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger big) {
            return big.longValueExact();
        }
        throw new ArithmeticException(function.column(field) + " is a " + v.getClass().getSimpleName() + " (" + v + "), not an integer");
    }

    private Number present(AggregateFunction function, String field) {
        Number v = value(function, field);
        if (v == null) {
            throw new NoSuchElementException(function.column(field) + " has no value: no point of group " + group
                    + " carries field " + field);
        }
        return v;
    }
}
