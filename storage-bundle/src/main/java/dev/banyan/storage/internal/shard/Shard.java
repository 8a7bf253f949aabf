package dev.banyan.storage.internal.shard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;
import dev.banyan.storage.internal.fs.DurableFiles;
import dev.banyan.storage.internal.index.SeriesIndex;
import dev.banyan.storage.internal.part.PartReader;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.segment.Layout;
import dev.banyan.storage.internal.segment.ShardFiles;
import dev.banyan.storage.internal.wal.WriteAheadLog;

/**
 * One shard of one segment: a write-ahead log and memtable for new points, immutable parts for
 * flushed ones. A memtable that reaches the flush threshold is sealed and written to a part in the
 * background; its log is deleted only once the part is durable. Too many parts are merged into
 * one. Opening replays the logs left by a crash.
 */
public final class Shard implements AutoCloseable {

    static final int MAX_PARTS = 8;
    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);

    /** How a shard behaves; shared by every shard of an engine. */
    public record Settings(long flushThresholdPoints, Executor background) {
    }

    /** Where a write landed, so the writer can wait for its durability after releasing the shard. */
    public record SyncToken(WriteAheadLog wal, long position) {
    }

    /** A series as the current log and memtable know it: its definition, log index and buffer. */
    private record WalSeries(SeriesDef def, int local, SeriesBuffer buffer) {
    }

    private record Sealed(Memtable memtable, WriteAheadLog wal, CompletableFuture<Void> done) {
    }

    /** The points of one series a query sees from memory: copies, safe to read without the lock. */
    public record MemorySlice(SeriesDef def, long[] timestamps, long[] values, int size) {
    }

    /** What a query reads: the parts (oldest first) and in-memory slices (older before newer). */
    public record Snapshot(List<PartReader> parts, List<SeriesDef> series, Map<Long, List<MemorySlice>> memory) {
    }

    private final Path dir;
    private final Settings settings;
    private final LongObjectMap<SeriesDef> catalog = new LongObjectMap<>();
    /** Postings over {@link #catalog}: every change of the catalog goes through {@link #define}. */
    private final SeriesIndex index = new SeriesIndex();
    private final List<Sealed> sealed = new ArrayList<>();
    private volatile List<PartReader> parts = List.of();
    private Memtable active;
    private WriteAheadLog wal;
    /** The series defined in the current log, with the index points of later records use. */
    private LongObjectMap<WalSeries> walSeries;
    private int walDefinitions;
    private long nextGeneration;
    private boolean closed;
    private boolean merging;
    private volatile Throwable backgroundFailure;

    private Shard(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
    }

    public Path directory() {
        return dir;
    }

    /** [S10][S18] Opens (creating if needed) a shard dir, finishing whatever a crash interrupted. */
    public static Shard open(Path dir, Settings settings) throws IOException {
        DurableFiles.createDirectories(dir);
        Shard shard = new Shard(dir, settings);
        shard.recover();
        return shard;
    }

    private void recover() throws IOException {
        ShardFiles files = ShardFiles.scan(dir);
        for (Path temp : files.temps()) {
            // A part write or merge that never finished: its data is still in a log or older parts.
            LOG.info("Removing unfinished file {}", temp);
            Files.delete(temp);
        }
        TreeMap<Long, Path> partFiles = files.parts();
        TreeMap<Long, Path> logs = files.logs();
        List<PartReader> readers = new ArrayList<>();
        for (Map.Entry<Long, Path> part : partFiles.entrySet()) {
            PartReader reader = PartReader.open(part.getValue(), part.getKey());
            reader.series().values().forEach(this::define);
            readers.add(reader);
        }
        long maxGeneration = Math.max(partFiles.isEmpty() ? 0 : partFiles.lastKey(), logs.isEmpty() ? 0 : logs.lastKey());
        nextGeneration = maxGeneration + 1;
        for (Map.Entry<Long, Path> log : logs.entrySet()) {
            if (partFiles.containsKey(log.getKey())) {
                // The part of this log was made durable before the crash; only the deletion is missing.
                Files.delete(log.getValue());
                continue;
            }
            Memtable replayed = new Memtable(log.getKey());
            Map<Integer, SeriesDef> defs = new HashMap<>();
            WriteAheadLog.replay(log.getValue(), record -> replayRecord(record, replayed, defs));
            if (replayed.points > 0) {
                readers.add(writePart(replayed));
            }
            Files.delete(log.getValue());
            DurableFiles.fsyncDirectory(dir);
        }
        parts = List.copyOf(readers);
    }

    /**
     * Read-only: throws what {@link #open} would throw for this shard dir (unknown files, damaged
     * parts, corrupt logs) and changes nothing, for the offline check.
     */
    public static void verify(Path dir) throws IOException {
        ShardFiles files = ShardFiles.scan(dir);
        for (Map.Entry<Long, Path> part : files.parts().entrySet()) {
            PartReader.open(part.getValue(), part.getKey());
        }
        Shard scratch = new Shard(dir, null);
        for (Map.Entry<Long, Path> log : files.logs().entrySet()) {
            if (!files.parts().containsKey(log.getKey())) {
                Memtable replayed = new Memtable(log.getKey());
                Map<Integer, SeriesDef> defs = new HashMap<>();
                WriteAheadLog.verify(log.getValue(), record -> scratch.replayRecord(record, replayed, defs));
            }
        }
    }

    private void replayRecord(ByteSource in, Memtable into, Map<Integer, SeriesDef> defs) {
        int newDefs = in.readLength(9);
        for (int i = 0; i < newDefs; i++) {
            SeriesDef def = SeriesDef.readFrom(in);
            defs.put(defs.size(), def);
            define(def);
        }
        int points = in.readLength(2);
        long ts = 0;
        long[] values = new long[16];
        for (int p = 0; p < points; p++) {
            SeriesDef def = defs.get((int) in.readVarLong());
            if (def == null) {
                throw new CorruptDataException("point refers to an undefined series at byte " + in.position());
            }
            ts += in.readZigZag();
            int fields = def.fields().size();
            if (values.length < fields) {
                values = new long[fields];
            }
            for (int f = 0; f < fields; f++) {
                values[f] = in.readLong();
            }
            into.buffer(def).append(ts, values, 0, fields);
            into.points++;
        }
    }

    /** Records the latest definition of a series, in the catalog and in the postings index. */
    private void define(SeriesDef def) {
        SeriesDef previous = catalog.get(def.ref().id());
        catalog.put(def.ref().id(), def);
        index.put(def.ref().measure(), def.ref().id(), def.ref().allTags(), previous == null ? null : previous.ref().allTags());
    }

    /** The series of {@code measure} satisfying every matcher, through the postings index. */
    public synchronized List<SeriesDef> series(String measure, List<TagMatcher> matchers) {
        long[] ids = index.select(measure, matchers);
        List<SeriesDef> selected = new ArrayList<>(ids.length);
        for (long id : ids) {
            selected.add(catalog.get(id));
        }
        return selected;
    }

    /** The known series (from parts and writes), latest definition of each. */
    public synchronized List<SeriesDef> allSeries() {
        return catalog.values();
    }

    /**
     * Appends the given points of {@code batch} to the log (handing them to the OS) and the
     * memtable. @return where to sync to for durability
     */
    public SyncToken append(WriteBatch batch, int[] points, int count) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new StorageException("shard " + dir + " is closed");
            }
            if (backgroundFailure != null) {
                throw new StorageException("shard " + dir + " cannot flush its memtable: " + backgroundFailure.getMessage(),
                        backgroundFailure);
            }
            if (active == null) {
                long generation = nextGeneration++;
                active = new Memtable(generation);
                wal = WriteAheadLog.create(dir.resolve(Layout.walFileName(generation)));
                walSeries = new LongObjectMap<>();
                walDefinitions = 0;
            }
            int fields = batch.fields().size();
            ByteSink record = new ByteSink(64 + count * (3 + 8 * fields));
            List<SeriesDef> newDefs = new ArrayList<>();
            WalSeries[] pointSeries = new WalSeries[count];
            for (int i = 0; i < count; i++) {
                var ref = batch.series(points[i]);
                WalSeries known = walSeries.get(ref.id());
                if (known == null || known.def().ref() != ref) {
                    SeriesDef existing = known != null ? known.def() : catalog.get(ref.id());
                    if (existing != null && !existing.ref().equals(ref)) {
                        throw new StorageException("series " + existing.ref() + " and " + ref + " share the series id "
                                + ref.id() + " (a hash collision) in " + dir + "; refusing to merge them");
                    }
                }
                if (known == null || (known.def().ref() != ref && !known.def().ref().tags().equals(ref.tags()))
                        || !sameFields(known.def(), batch)) {
                    // First point of the series in this log, or its tags or fields changed: define it (again).
                    SeriesDef def = new SeriesDef(ref, batch.fields());
                    known = new WalSeries(def, walDefinitions++, active.buffer(def));
                    walSeries.put(ref.id(), known);
                    newDefs.add(def);
                    define(def);
                }
                pointSeries[i] = known;
            }
            record.writeVarLong(newDefs.size());
            for (SeriesDef def : newDefs) {
                def.writeTo(record);
            }
            record.writeVarLong(count);
            long prevTs = 0;
            for (int i = 0; i < count; i++) {
                int p = points[i];
                record.writeVarLong(pointSeries[i].local());
                long ts = batch.timestamp(p);
                record.writeZigZag(ts - prevTs);
                prevTs = ts;
                for (int f = 0; f < fields; f++) {
                    record.writeLong(batch.rawValue(p, f));
                }
            }
            long position;
            try {
                position = wal.append(record);
            } catch (IOException e) {
                // The log may hold part of the record now; refuse further writes rather than guess.
                backgroundFailure = e;
                throw e;
            }
            for (int i = 0; i < count; i++) {
                pointSeries[i].buffer().append(batch, points[i]);
            }
            active.points += count;
            SyncToken token = new SyncToken(wal, position);
            if (active.points >= settings.flushThresholdPoints()) {
                sealActive();
            }
            return token;
        }
    }

    private static boolean sameFields(SeriesDef def, WriteBatch batch) {
        return def.fields() == batch.fields() || def.fields().equals(batch.fields());
    }

    public static void sync(SyncToken token, Durability durability) throws IOException {
        if (durability == Durability.FSYNC) {
            token.wal().syncTo(token.position());
        }
    }

    /** Seals the active memtable and schedules its flush. Caller holds the lock. */
    private Sealed sealActive() {
        if (active == null) {
            return null;
        }
        Memtable memtable = active;
        memtable.sealed();
        Sealed entry = new Sealed(memtable, wal, new CompletableFuture<>());
        sealed.add(entry);
        active = null;
        wal = null;
        walSeries = null;
        settings.background().execute(() -> flush(entry));
        return entry;
    }

    private void flush(Sealed entry) {
        try {
            // The log must be durable before the part replaces it, whatever the durability mode.
            entry.wal().syncTo(Long.MAX_VALUE);
            PartReader part = writePart(entry.memtable());
            synchronized (this) {
                List<PartReader> next = new ArrayList<>(parts);
                next.add(part);
                parts = List.copyOf(next);
                sealed.remove(entry);
            }
            entry.wal().close();
            Files.delete(entry.wal().file());
            DurableFiles.fsyncDirectory(dir);
            entry.done().complete(null);
            mergeIfNeeded();
        } catch (IOException | RuntimeException e) {
            backgroundFailure = e;
            LOG.error("Cannot flush {} to a part; its log is kept", entry.wal().file(), e);
            entry.done().completeExceptionally(e);
        }
    }

    private PartReader writePart(Memtable memtable) throws IOException {
        List<PartWriter.SeriesData> data = new ArrayList<>();
        for (SeriesBuffer buffer : memtable.sealed()) {
            data.add(new PartWriter.SeriesData(buffer.def(), buffer.timestamps(), buffer.values(), buffer.size()));
        }
        Path file = dir.resolve(Layout.partFileName(memtable.generation));
        PartWriter.write(file, data);
        return PartReader.open(file, memtable.generation);
    }

    /** Merges every part into one named after the newest, when there are too many. */
    private void mergeIfNeeded() throws IOException {
        List<PartReader> inputs;
        synchronized (this) {
            if (merging || closed || parts.size() <= MAX_PARTS) {
                return;
            }
            merging = true;
            inputs = parts;
        }
        try {
            PartReader newest = inputs.get(inputs.size() - 1);
            List<PartWriter.SeriesData> merged = PartMerger.merge(inputs);
            Path target = newest.file();
            PartWriter.write(target, merged);
            PartReader replacement = PartReader.open(target, newest.generation());
            synchronized (this) {
                List<PartReader> next = new ArrayList<>(parts.subList(inputs.size(), parts.size()));
                next.add(0, replacement);
                parts = List.copyOf(next);
            }
            for (PartReader input : inputs.subList(0, inputs.size() - 1)) {
                Files.delete(input.file());
            }
            DurableFiles.fsyncDirectory(dir);
            LOG.debug("Merged {} parts of {} into {}", inputs.size(), dir, target.getFileName());
        } finally {
            synchronized (this) {
                merging = false;
                notifyAll();
            }
        }
    }

    /** Writes the memtable to a part now and waits for every pending flush. */
    public void flushNow() throws IOException {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        synchronized (this) {
            sealActive();
            sealed.forEach(s -> pending.add(s.done()));
        }
        for (CompletableFuture<Void> future : pending) {
            try {
                future.join();
            } catch (RuntimeException e) {
                throw new IOException("flush of " + dir + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The data a query in [{@code start}, {@code end}) needs about the series of {@code measure}
     * that satisfy every matcher (found through the postings index) and {@code match}.
     */
    public Snapshot snapshot(String measure, List<TagMatcher> matchers, Predicate<SeriesDef> match, long start, long end) {
        synchronized (this) {
            List<SeriesDef> selected = new ArrayList<>();
            for (SeriesDef def : series(measure, matchers)) {
                if (match.test(def)) {
                    selected.add(def);
                }
            }
            Map<Long, List<MemorySlice>> memory = new HashMap<>();
            List<Memtable> memtables = new ArrayList<>();
            sealed.forEach(s -> memtables.add(s.memtable()));
            if (active != null) {
                memtables.add(active);
            }
            for (Memtable memtable : memtables) {
                for (SeriesDef def : selected) {
                    SeriesBuffer buffer = memtable.series.get(def.ref().id());
                    if (buffer == null || buffer.size() == 0) {
                        continue;
                    }
                    buffer.normalize();
                    int from = PointMerger.lowerBound(buffer.timestamps(), buffer.size(), start);
                    int to = PointMerger.lowerBound(buffer.timestamps(), buffer.size(), end);
                    if (from < to) {
                        int fields = buffer.fieldCount;
                        memory.computeIfAbsent(def.ref().id(), k -> new ArrayList<>()).add(new MemorySlice(buffer.def(),
                                Arrays.copyOfRange(buffer.timestamps(), from, to),
                                Arrays.copyOfRange(buffer.values(), from * fields, to * fields), to - from));
                    }
                }
            }
            return new Snapshot(parts, selected, memory);
        }
    }


    /** [S9] Flushes what is in memory to a part and closes the logs. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        try {
            flushNow();
        } finally {
            synchronized (this) {
                closed = true;
                // A merge under way would write and delete files after close returned (and after the
                // group's lock is released): wait for it. No new one starts once closed is set.
                Monitors.awaitUninterruptibly(this, () -> !merging);
            }
        }
    }

    /** Closes without flushing: for a segment about to be deleted. */
    public synchronized void abandon() throws IOException {
        closed = true;
        if (wal != null) {
            wal.close();
        }
    }

}
