package dev.banyan.storage.internal.shard;

import java.util.Arrays;

/**
 * The not-yet-flushed points of one series, in columns. Appends in time order stay sorted for
 * free; anything else is sorted (stably, the last write of a timestamp winning) when first read.
 */
public final class SeriesBuffer {

    /** The latest definition written: its tags are the series' tags (the latest values win). */
    SeriesDef def;
    int fieldCount;
    long[] timestamps = new long[8];
    long[] values;
    int size;
    private boolean ordered = true;

    SeriesBuffer(SeriesDef def) {
        this.def = def;
        this.fieldCount = def.fields().size();
        this.values = new long[8 * fieldCount];
    }

    /** Heap taken by the columns, in bytes. */
    long capacityBytes() {
        return 8L * (timestamps.length + values.length);
    }

    /** Grows the columns for one more point. @return the bytes added */
    private long ensureRoom() {
        if (size < timestamps.length) {
            return 0;
        }
        long before = capacityBytes();
        int capacity = Math.max(16, size * 2);
        timestamps = Arrays.copyOf(timestamps, capacity);
        values = Arrays.copyOf(values, capacity * fieldCount);
        return capacityBytes() - before;
    }

    /**
     * Appends point {@code p} of {@code batch} (whose fields are this series' fields or a prefix of
     * them). @return the bytes the columns grew by
     */
    long append(dev.banyan.storage.api.WriteBatch batch, int p) {
        long grown = ensureRoom();
        long timestamp = batch.timestamp(p);
        if (size > 0 && timestamp <= timestamps[size - 1]) {
            ordered = false;
        }
        timestamps[size] = timestamp;
        int at = size * fieldCount;
        int have = batch.fields().size();
        for (int f = 0; f < fieldCount; f++) {
            values[at + f] = f < have ? batch.rawValue(p, f) : def.fields().get(f).type().absentRaw();
        }
        size++;
        return grown;
    }

    /**
     * Appends a point of {@code have} fields (this series' fields or a prefix of them) from
     * {@code source}. @return the bytes the columns grew by
     */
    long append(long timestamp, long[] source, int offset, int have) {
        long grown = ensureRoom();
        if (size > 0 && timestamp <= timestamps[size - 1]) {
            ordered = false;
        }
        timestamps[size] = timestamp;
        System.arraycopy(source, offset, values, size * fieldCount, Math.min(have, fieldCount));
        for (int f = have; f < fieldCount; f++) {
            values[size * fieldCount + f] = def.fields().get(f).type().absentRaw();
        }
        size++;
        return grown;
    }

    /**
     * Takes a newer definition of the series: its tags, and its fields if it has more (a measure's
     * field list only grows): the points already here lack the new fields.
     */
    void redefine(SeriesDef newer) {
        int width = newer.fields().size();
        if (width <= fieldCount) {
            def = width == fieldCount ? newer : new SeriesDef(newer.ref(), def.fields());
            return;
        }
        long[] widened = new long[Math.max(timestamps.length, 1) * width];
        for (int i = 0; i < size; i++) {
            System.arraycopy(values, i * fieldCount, widened, i * width, fieldCount);
            for (int f = fieldCount; f < width; f++) {
                widened[i * width + f] = newer.fields().get(f).type().absentRaw();
            }
        }
        values = widened;
        fieldCount = width;
        def = newer;
    }

    /** [S17] Sorts by timestamp and keeps the last write of each timestamp. */
    void normalize() {
        if (ordered) {
            return;
        }
        if (size < 2) {
            ordered = true;
            return;
        }
        PointMerger.Run sorted = PointMerger.sortKeepingLast(timestamps, values, size, fieldCount);
        timestamps = sorted.timestamps();
        values = sorted.values();
        size = sorted.size();
        ordered = true;
    }

    public SeriesDef def() {
        return def;
    }

    public int size() {
        return size;
    }

    public long[] timestamps() {
        return timestamps;
    }

    public long[] values() {
        return values;
    }
}
