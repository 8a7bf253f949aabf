package dev.banyan.storage.api;

import java.util.List;
import java.util.Map;

/**
 * The raw points of one series, in timestamp order, one value column per projected field.
 *
 * @param tags       entity and other tags of the series
 * @param timestamps epoch milliseconds, ascending, unique
 * @param fields     the projected fields
 * @param columns    per field, the raw values: a double's bits for DOUBLE fields, the value for LONG fields
 */
public record SeriesRows(Map<String, String> tags, long[] timestamps, List<FieldDef> fields, List<long[]> columns) {

    public int size() {
        return timestamps.length;
    }

    public double doubleValue(String field, int row) {
        int f = index(field);
        long raw = columns.get(f)[row];
        return fields.get(f).type() == FieldType.DOUBLE ? Double.longBitsToDouble(raw) : raw;
    }

    public long longValue(String field, int row) {
        int f = index(field);
        long raw = columns.get(f)[row];
        return fields.get(f).type() == FieldType.LONG ? raw : (long) Double.longBitsToDouble(raw);
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
