package dev.banyan.storage.api;

import java.util.Arrays;
import java.util.List;

/**
 * Points of one measure, written together by {@link Tsdb#write(WriteBatch)}: all or nothing, and
 * acknowledged (the method returns) as the group's {@link Durability} says. Values are kept in
 * columns; a batch can be {@link #clear() cleared} and reused.
 */
public final class WriteBatch {

    private final String measure;
    private final List<FieldDef> fields;
    private SeriesRef[] series;
    private long[] timestamps;
    private long[] values;
    private int size;

    public WriteBatch(String measure, List<FieldDef> fields, int expectedPoints) {
        if (fields == null || fields.isEmpty()) {
            throw new IllegalArgumentException("measure " + measure + ": a batch needs at least one field");
        }
        this.measure = measure;
        this.fields = List.copyOf(fields);
        int capacity = Math.max(16, expectedPoints);
        this.series = new SeriesRef[capacity];
        this.timestamps = new long[capacity];
        this.values = new long[capacity * this.fields.size()];
    }

    /** Adds a point of a measure with exactly one DOUBLE field. */
    public WriteBatch add(SeriesRef ref, long timestampMillis, double value) {
        if (fields.size() != 1 || fields.get(0).type() != FieldType.DOUBLE) {
            throw new IllegalArgumentException("measure " + measure + " has fields " + fields + ": pass one value per field");
        }
        int i = slot(ref, timestampMillis);
        values[i] = Double.doubleToRawLongBits(value);
        return this;
    }

    /** Adds a point of a measure with exactly one field: a LONG field keeps the value, a DOUBLE field widens it. */
    public WriteBatch add(SeriesRef ref, long timestampMillis, long value) {
        if (fields.size() != 1) {
            throw new IllegalArgumentException("measure " + measure + " has fields " + fields + ": pass one value per field");
        }
        int i = slot(ref, timestampMillis);
        values[i] = fields.get(0).type() == FieldType.LONG ? value : Double.doubleToRawLongBits(value);
        return this;
    }

    /** Adds a point with one value per field, in field order; LONG fields take integral numbers only. */
    public WriteBatch add(SeriesRef ref, long timestampMillis, Number... fieldValues) {
        if (fieldValues.length != fields.size()) {
            throw new IllegalArgumentException("measure " + measure + ": expected " + fields.size() + " field values, got "
                    + fieldValues.length);
        }
        long[] encoded = new long[fields.size()];
        for (int f = 0; f < fields.size(); f++) {
            Number v = fieldValues[f];
            FieldDef def = fields.get(f);
            if (v == null) {
                throw new IllegalArgumentException("measure " + measure + ": field " + def.name() + " has no value");
            }
            if (def.type() == FieldType.DOUBLE) {
                encoded[f] = Double.doubleToRawLongBits(v.doubleValue());
            } else {
                if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
                    throw new IllegalArgumentException("measure " + measure + ": field " + def.name()
                            + " is LONG but got " + v.getClass().getSimpleName() + " " + v);
                }
                encoded[f] = v.longValue();
            }
        }
        int i = slot(ref, timestampMillis);
        System.arraycopy(encoded, 0, values, i * fields.size(), fields.size());
        return this;
    }

    private int slot(SeriesRef ref, long timestampMillis) {
        if (!ref.measure().equals(measure)) {
            throw new IllegalArgumentException("series " + ref + " belongs to " + ref.measure() + ", not " + measure);
        }
        if (size == timestamps.length) {
            int capacity = size * 2;
            series = Arrays.copyOf(series, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity * fields.size());
        }
        series[size] = ref;
        timestamps[size] = timestampMillis;
        return size++;
    }

    public void clear() {
        Arrays.fill(series, 0, size, null);
        size = 0;
    }

    public String measure() {
        return measure;
    }

    public List<FieldDef> fields() {
        return fields;
    }

    public int size() {
        return size;
    }

    public SeriesRef series(int point) {
        return series[point];
    }

    public long timestamp(int point) {
        return timestamps[point];
    }

    /** The raw field value: a double's bits for DOUBLE fields, the value for LONG fields. */
    public long rawValue(int point, int field) {
        return values[point * fields.size() + field];
    }
}
