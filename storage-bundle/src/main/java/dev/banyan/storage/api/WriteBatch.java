package dev.banyan.storage.api;

import java.util.Arrays;
import java.util.List;

/**
 * Points of one measure, written together by {@link Tsdb#write(WriteBatch)}: refused whole by
 * validation and limits (at most 1,000,000 points), stored all or nothing per (segment, shard),
 * and acknowledged (the method returns) as the group's {@link Durability} says; see
 * {@link Tsdb#write(WriteBatch)} for the exact contract. Values are kept in columns; a batch can
 * be {@link #clear() cleared} and reused.
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

    /**
     * Adds a point of a measure with exactly one DOUBLE field.
     *
     * @throws IllegalArgumentException for the reserved bits {@link FieldType#absentRaw()}
     */
    public WriteBatch add(SeriesRef ref, long timestampMillis, double value) {
        if (fields.size() != 1 || fields.get(0).type() != FieldType.DOUBLE) {
            throw new IllegalArgumentException("measure " + measure + " has fields " + fields + ": pass one value per field");
        }
        long raw = Double.doubleToRawLongBits(value);
        checkNotReserved(ref, 0, raw);
        int i = slot(ref, timestampMillis); // may grow the arrays: index first
        values[i] = raw;
        return this;
    }

    /**
     * Adds a point of a measure with exactly one field: a LONG field keeps the value, a DOUBLE field widens it.
     *
     * @throws IllegalArgumentException for {@link Long#MIN_VALUE} in a LONG field (it marks "absent")
     */
    public WriteBatch add(SeriesRef ref, long timestampMillis, long value) {
        if (fields.size() != 1) {
            throw new IllegalArgumentException("measure " + measure + " has fields " + fields + ": pass one value per field");
        }
        long raw = fields.get(0).type() == FieldType.LONG ? value : Double.doubleToRawLongBits(value);
        checkNotReserved(ref, 0, raw);
        int i = slot(ref, timestampMillis); // may grow the arrays: index first
        values[i] = raw;
        return this;
    }

    /**
     * Adds a point with one value per field, in field order; LONG fields take integral numbers only.
     * A null value leaves the field absent from this point; at least one value is required.
     *
     * @throws IllegalArgumentException naming the field for a missing, mistyped or reserved value
     */
    public WriteBatch add(SeriesRef ref, long timestampMillis, Number... fieldValues) {
        if (fieldValues.length != fields.size()) {
            throw new IllegalArgumentException("measure " + measure + ": expected " + fields.size() + " field values, got "
                    + fieldValues.length);
        }
        long[] encoded = new long[fields.size()];
        boolean any = false;
        for (int f = 0; f < fields.size(); f++) {
            Number v = fieldValues[f];
            FieldDef def = fields.get(f);
            if (v == null) {
                encoded[f] = def.type().absentRaw();
                continue;
            }
            any = true;
            if (def.type() == FieldType.DOUBLE) {
                encoded[f] = Double.doubleToRawLongBits(v.doubleValue());
            } else {
                if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
                    throw new IllegalArgumentException("measure " + measure + ": field " + def.name()
                            + " is LONG but got " + v.getClass().getSimpleName() + " " + v);
                }
                encoded[f] = v.longValue();
            }
            checkNotReserved(ref, f, encoded[f]);
        }
        if (!any) {
            throw new IllegalArgumentException("measure " + measure + ": a point of series " + ref + " at " + timestampMillis
                    + " has no field value; at least one is required");
        }
        int i = slot(ref, timestampMillis);
        System.arraycopy(encoded, 0, values, i * fields.size(), fields.size());
        return this;
    }

    /** The raw word meaning "absent" cannot be written as a value. */
    private void checkNotReserved(SeriesRef ref, int field, long raw) {
        FieldDef def = fields.get(field);
        if (raw == def.type().absentRaw()) {
            throw new IllegalArgumentException("measure " + measure + ": field " + def.name() + " of series " + ref
                    + (def.type() == FieldType.LONG ? " cannot hold " + Long.MIN_VALUE
                            : " cannot hold the NaN with bits 0x" + Long.toHexString(raw))
                    + ": that value is reserved to mark the field absent");
        }
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

    /**
     * The raw field value: a double's bits for DOUBLE fields, the value for LONG fields, or the
     * type's {@link FieldType#absentRaw()} if the point lacks the field.
     */
    public long rawValue(int point, int field) {
        return values[point * fields.size() + field];
    }
}
