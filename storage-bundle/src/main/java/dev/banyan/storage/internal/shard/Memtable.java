package dev.banyan.storage.internal.shard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.banyan.storage.api.WriteBatch;

/**
 * The points of a shard not yet in a part, with the WAL generation that holds them, and an
 * estimate of the heap they take, which the engine's {@link MemoryBudget} accounts.
 */
public final class Memtable {

    /** Heap per series besides its columns: buffer object, array headers, map slots, log definition. */
    static final long SERIES_OVERHEAD_BYTES = 200;

    final long generation;
    final LongObjectMap<SeriesBuffer> series = new LongObjectMap<>();
    long points;
    /** Estimated heap footprint; changed only under the shard's lock. */
    long bytes;
    /** What {@link MemoryBudget} has counted of {@link #bytes}; guarded by the budget. */
    long accounted;
    /**
     * The most bytes this memtable's part can take (worst-case encodings), so it is sealed before
     * its part could outgrow what a reader maps ({@link #MAX_PART_BYTES}).
     */
    long partBytesBound;
    /** Sealed once {@link #partBytesBound} reaches this: half of what a reader maps, so a part always opens. */
    static final long MAX_PART_BYTES = dev.banyan.storage.internal.part.PartWriter.MAX_PART_BYTES / 2;
    /** Sealed memtables are only read (and flushed); guarded by the budget. */
    boolean sealedInBudget;
    private List<SeriesBuffer> sorted;

    Memtable(long generation) {
        this.generation = generation;
    }

    SeriesBuffer buffer(SeriesDef def) {
        return buffer(def, 0);
    }

    /** @param defBytes the definition's encoded size, for the part size bound */
    SeriesBuffer buffer(SeriesDef def, int defBytes) {
        SeriesBuffer buffer = series.get(def.ref().id());
        if (buffer == null) {
            buffer = new SeriesBuffer(def);
            series.put(def.ref().id(), buffer);
            bytes += SERIES_OVERHEAD_BYTES + buffer.capacityBytes();
            // Its entry in the series table, and one block's crc, headers and index entry.
            partBytesBound += defBytes + 100 + 40L * buffer.fieldCount;
        } else if (buffer.def != def) {
            long before = buffer.capacityBytes();
            buffer.redefine(def); // more fields widen the columns
            bytes += buffer.capacityBytes() - before;
        }
        return buffer;
    }

    void append(SeriesBuffer buffer, WriteBatch batch, int point) {
        bytes += buffer.append(batch, point);
        // A timestamp takes at most 8 bytes and a value 9; blocks of 64+ points add their overhead.
        partBytesBound += 10 + 10L * buffer.fieldCount;
        points++;
    }

    /** Appends a point of {@code have} fields (the series' fields or a prefix of them). */
    void append(SeriesBuffer buffer, long timestamp, long[] values, int have) {
        bytes += buffer.append(timestamp, values, 0, have);
        points++;
    }

    /** [S17] Sorts a series (the last write of a timestamp wins), keeping the footprint estimate exact. */
    void normalize(SeriesBuffer buffer) {
        long before = buffer.capacityBytes();
        buffer.normalize();
        bytes += buffer.capacityBytes() - before;
    }

    /**
     * Every series sorted, in ascending id order: what a part is written from. Once the memtable is
     * sealed (only read from then on) the list is kept.
     */
    List<SeriesBuffer> sortedSeries() {
        if (sorted != null) {
            return sorted;
        }
        long[] ids = new long[series.size()];
        int n = 0;
        for (SeriesBuffer buffer : series.values()) {
            normalize(buffer);
            ids[n++] = buffer.def().ref().id();
        }
        Arrays.sort(ids);
        List<SeriesBuffer> all = new ArrayList<>(n);
        for (long id : ids) {
            all.add(series.get(id));
        }
        return all;
    }

    /** No more appends: the sorted series are kept for the flush and queries. */
    void seal() {
        sorted = sortedSeries();
    }
}
