package dev.banyan.storage.internal.shard;

import java.util.List;

/** The points of a shard not yet in a part, with the WAL generation that holds them. */
public final class Memtable {

    final long generation;
    final LongObjectMap<SeriesBuffer> series = new LongObjectMap<>();
    long points;

    Memtable(long generation) {
        this.generation = generation;
    }

    SeriesBuffer buffer(SeriesDef def) {
        SeriesBuffer buffer = series.get(def.ref().id());
        if (buffer == null) {
            buffer = new SeriesBuffer(def);
            series.put(def.ref().id(), buffer);
        } else if (buffer.def != def) {
            buffer.redefine(def);
        }
        return buffer;
    }

    /** Sorts every series; after this the memtable is only read. */
    List<SeriesBuffer> sealed() {
        List<SeriesBuffer> all = series.values();
        all.forEach(SeriesBuffer::normalize);
        return all;
    }
}
