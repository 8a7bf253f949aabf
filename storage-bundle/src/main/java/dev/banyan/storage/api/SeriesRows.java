package dev.banyan.storage.api;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The raw points of one series, in timestamp order, one value column per projected field. A row
 * may lack a field (it was written before the field was added to the measure, or without it):
 * {@link #isPresent} says so and the column holds the type's {@link FieldType#absentRaw()}. Rows
 * lacking every projected field are not returned.
 *
 * @param tags       entity and other tags of the series
 * @param timestamps epoch milliseconds, ascending, unique
 * @param fields     the projected fields
 * @param columns    per field, the raw values: a double's bits for DOUBLE fields (NaN payloads and
 *                   -0.0 as written), the value for LONG fields
 */
public record SeriesRows(Map<String, String> tags, long[] timestamps, List<FieldDef> fields, List<long[]> columns) {

    public int size() {
        return timestamps.length;
    }

    /** Whether the point at {@code row} has a value for {@code field}. */
    public boolean isPresent(String field, int row) {
        int f = index(field);
        return columns.get(f)[row] != fields.get(f).type().absentRaw();
    }

    /**
     * The value as a double (a LONG value converted).
     *
     * @throws NoSuchElementException if the point lacks the field
     */
    public double doubleValue(String field, int row) {
        int f = index(field);
        long raw = present(f, row);
        return fields.get(f).type() == FieldType.DOUBLE ? Double.longBitsToDouble(raw) : raw;
    }

    /**
     * The value as a long (a DOUBLE value truncated).
     *
     * @throws NoSuchElementException if the point lacks the field
     */
    public long longValue(String field, int row) {
        int f = index(field);
        long raw = present(f, row);
        return fields.get(f).type() == FieldType.LONG ? raw : (long) Double.longBitsToDouble(raw);
    }

    private long present(int f, int row) {
        long raw = columns.get(f)[row];
        if (raw == fields.get(f).type().absentRaw()) {
            throw new NoSuchElementException("the point at " + timestamps[row] + " of series " + tags + " has no field "
                    + fields.get(f).name());
        }
        return raw;
    }

    private int index(String field) {
        for (int f = 0; f < fields.size(); f++) {
            if (fields.get(f).name().equals(field)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no field " + field + " in " + fields);
    }
}
