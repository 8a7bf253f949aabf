package dev.banyan.storage.internal.shard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;
import dev.banyan.storage.internal.fs.DurableFiles;
import dev.banyan.storage.internal.index.SeriesIndex;
import dev.banyan.storage.internal.fs.FileErrors;
import dev.banyan.storage.internal.health.Problems;
import dev.banyan.storage.internal.part.PartReader;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.segment.Layout;
import dev.banyan.storage.internal.segment.ShardFiles;
import dev.banyan.storage.internal.wal.WriteAheadLog;

/**
 * One shard of one segment: a write-ahead log and memtable for new points, immutable parts for
 * flushed ones. A memtable that reaches the flush threshold (or that the memory budget picks) is
 * sealed and written to a part in the background, oldest first; its log is deleted only once the
 * part is durable. Too many parts are merged into one. Opening replays the logs left by a crash.
 * <p>
 * Failures never latch: a failed append leaves log and memtable as they were before it; a failed
 * flush keeps its memtable and log and is retried with backoff; a part found damaged is
 * quarantined (kept, excluded from merges, reported as permanent). Every current failure is in
 * {@link #problems()}; see {@code docs/SEMANTICS.md}.
 */
public final class Shard implements AutoCloseable {

    static final int MAX_PARTS = 8;
    /** Merged parts stay well below what a reader can map ({@link PartWriter#MAX_PART_BYTES}). */
    static final long MAX_MERGE_INPUT_BYTES = 1L << 30;
    /** Failed background work is retried after 1 s, doubling up to 30 s. */
    static final long FIRST_RETRY_MILLIS = 1_000;
    static final long LAST_RETRY_MILLIS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(Shard.class);
    private static final String WAL_PROBLEM = "wal";
    private static final String FLUSH_PROBLEM = "flush";
    private static final String MERGE_PROBLEM = "merge";

    /**
     * How a shard behaves; shared by every shard of an engine.
     *
     * @param logRotationBytes a log this long is retired (its memtable sealed) after the current record
     * @param flusher writes sealed memtables to parts (and runs their retries)
     * @param merger  merges parts
     */
    public record Settings(long flushThresholdPoints, long logRotationBytes, MemoryBudget budget,
            ScheduledExecutorService flusher, Executor merger, Clock clock) {
    }

    /** Where a write landed, so the writer can wait for its durability after releasing the shard. */
    public record SyncToken(Shard shard, WriteAheadLog wal, long position) {
    }

    /** A series as the current log and memtable know it: its definition, log index and buffer. */
    private static final class WalSeries {
        final SeriesDef def;
        final int local;
        SeriesBuffer buffer;
        int defBytes;

        WalSeries(SeriesDef def, int local) {
            this.def = def;
            this.local = local;
        }
    }

    private record Sealed(Memtable memtable, WriteAheadLog wal) {
    }

    /** The points of one series a query sees from memory: copies, safe to read without the lock. */
    public record MemorySlice(SeriesDef def, long[] timestamps, long[] values, int size) {
    }

    /** What a query reads: the parts (oldest first) and in-memory slices (older before newer). */
    public record Snapshot(List<PartReader> parts, List<SeriesDef> series, Map<Long, List<MemorySlice>> memory) {
    }

    private final Path dir;
    private final Settings settings;
    private final Problems problems;
    private final LongObjectMap<SeriesDef> catalog = new LongObjectMap<>();
    /** Postings over {@link #catalog}: every change of the catalog goes through {@link #define}. */
    private final SeriesIndex index = new SeriesIndex();
    private final List<Sealed> sealed = new ArrayList<>();
    /** Held while memtables are written to parts: one flusher at a time, oldest memtable first. */
    private final ReentrantLock flushLock = new ReentrantLock();
    private volatile List<PartReader> parts = List.of();
    private Memtable active;
    private WriteAheadLog wal;
    /** The series defined in the current log, with the index points of later records use. */
    private LongObjectMap<WalSeries> walSeries;
    private int walDefinitions;
    private long nextGeneration;
    private boolean closed;
    private boolean merging;
    private boolean flushScheduled;
    /** Failures in a row of each kind of background work (flush, merge), for backoff and logging. */
    private final Map<String, Integer> failuresInARow = new HashMap<>();
    private volatile long activeBytes;

    private Shard(Path dir, Settings settings) {
        this.dir = dir;
        this.settings = settings;
        this.problems = new Problems(settings.clock());
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
            PartReader reader = PartReader.open(part.getValue(), part.getKey(), catalog::get);
            reader.series().forEach(this::define);
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
        // A scratch shard only parses the logs: it never flushes, merges or takes memtable budget.
        Shard scratch = new Shard(dir, new Settings(Long.MAX_VALUE, WriteAheadLog.ROTATE_BYTES, null, null, null, Clock.systemUTC()));
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
            into.append(into.buffer(def), ts, values, fields);
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

    private synchronized SeriesDef knownSeries(long id) {
        return catalog.get(id);
    }

    /** The known series (from parts and writes), latest definition of each. */
    public synchronized List<SeriesDef> allSeries() {
        return catalog.values();
    }

    /** What is failing in this shard right now (empty when healthy). */
    public List<TsdbHealth.Problem> problems() {
        return problems.list();
    }

    long activeBytes() {
        return activeBytes;
    }

    /**
     * Appends the given points of {@code batch} to the log (handing them to the OS) and the
     * memtable, as one log record: after a crash all of them or none are replayed. If this throws,
     * neither log nor memtable holds any of them.
     *
     * @return where to sync to for durability
     * @throws IOException naming the log file if it cannot be created or written
     */
    public SyncToken append(WriteBatch batch, int[] points, int count) throws IOException {
        SyncToken token;
        synchronized (this) {
            if (closed) {
                throw new StorageException("shard " + dir + " is closed");
            }
            if (active == null) {
                openActive();
            }
            int fields = batch.fields().size();
            ByteSink record = new ByteSink(64 + count * (3 + 8 * fields));
            List<WalSeries> newSeries = new ArrayList<>();
            LongObjectMap<WalSeries> defined = null;
            WalSeries[] pointSeries = new WalSeries[count];
            for (int i = 0; i < count; i++) {
                var ref = batch.series(points[i]);
                WalSeries known = walSeries.get(ref.id());
                if (defined != null && defined.get(ref.id()) != null) {
                    known = defined.get(ref.id());
                }
                if (known == null || known.def.ref() != ref) {
                    SeriesDef existing = known != null ? known.def : catalog.get(ref.id());
                    if (existing != null && !existing.ref().equals(ref)) {
                        throw new StorageException("series " + existing.ref() + " and " + ref + " share the series id "
                                + ref.id() + " (a hash collision) in " + dir + "; refusing to merge them");
                    }
                }
                if (known == null || (known.def.ref() != ref && !known.def.ref().tags().equals(ref.tags()))
                        || !sameFields(known.def, batch)) {
                    // First point of the series in this log, or its tags or fields changed: define it (again).
                    known = new WalSeries(new SeriesDef(ref, batch.fields()), walDefinitions + newSeries.size());
                    if (defined == null) {
                        defined = new LongObjectMap<>();
                    }
                    defined.put(ref.id(), known);
                    newSeries.add(known);
                }
                pointSeries[i] = known;
            }
            record.writeVarLong(newSeries.size());
            for (WalSeries s : newSeries) {
                int before = record.size();
                s.def.writeTo(record);
                s.defBytes = record.size() - before;
                if (record.size() > WriteAheadLog.MAX_RECORD) {
                    throw recordTooLarge(count, newSeries.size());
                }
            }
            record.writeVarLong(count);
            long prevTs = 0;
            for (int i = 0; i < count; i++) {
                int p = points[i];
                record.writeVarLong(pointSeries[i].local);
                long ts = batch.timestamp(p);
                record.writeZigZag(ts - prevTs);
                prevTs = ts;
                for (int f = 0; f < fields; f++) {
                    record.writeLong(batch.rawValue(p, f));
                }
            }
            if (record.size() > WriteAheadLog.MAX_RECORD) {
                throw recordTooLarge(count, newSeries.size());
            }
            long position;
            try {
                position = wal.append(record);
            } catch (IOException e) {
                throw failedAppend(e);
            }
            // The record is in the log: only now do its series and points enter the shard.
            for (WalSeries s : newSeries) {
                s.buffer = active.buffer(s.def, s.defBytes);
                walSeries.put(s.def.ref().id(), s);
                define(s.def);
            }
            walDefinitions += newSeries.size();
            for (int i = 0; i < count; i++) {
                active.append(pointSeries[i].buffer, batch, points[i]);
            }
            problems.clear(WAL_PROBLEM);
            token = new SyncToken(this, wal, position);
            settings.budget().account(active);
            activeBytes = active.bytes;
            if (active.points >= settings.flushThresholdPoints() || wal.size() >= settings.logRotationBytes()
                    || active.partBytesBound >= Memtable.MAX_PART_BYTES) {
                sealActive();
            }
        }
        settings.budget().relieve();
        return token;
    }

    /** The log record of this shard's points (with new series definitions) would not fit: nothing is written here. */
    private StorageException recordTooLarge(int points, int newSeries) {
        return new StorageException("shard " + dir + ": the " + points + " points of this batch with the definitions of "
                + newSeries + " new series take more than the " + WriteAheadLog.MAX_RECORD + "-byte write-ahead-log record "
                + "limit; nothing was written to this shard; split the batch (other shards may hold their part of it: "
                + "retrying the whole batch is idempotent)");
    }

    /** Starts a memtable and its log; on failure nothing changes and the error names the file. Caller holds the lock. */
    private void openActive() throws IOException {
        long generation = nextGeneration++;
        Path file = dir.resolve(Layout.walFileName(generation));
        WriteAheadLog log;
        try {
            log = WriteAheadLog.create(file);
        } catch (IOException e) {
            String message = "cannot create write-ahead log " + file + ": " + FileErrors.describe(e);
            problems.set(WAL_PROBLEM, file, message + "; writes to this shard fail until it can be created", false);
            throw new IOException(message, e);
        }
        active = new Memtable(generation);
        wal = log;
        walSeries = new LongObjectMap<>();
        walDefinitions = 0;
        activeBytes = 0;
        settings.budget().filling(this, true);
    }

    /**
     * A record could not be appended, and the log may end in part of it. Cut that off so the next
     * record follows whole ones; if even that fails, retire the log (its memtable is flushed from
     * memory, the next write starts a new log). Caller holds the lock. @return the error to throw
     */
    private IOException failedAppend(IOException cause) {
        Path file = wal.file();
        String message = "cannot append to write-ahead log " + file + ": " + FileErrors.describe(cause);
        try {
            wal.truncateToLastRecord();
        } catch (IOException e) {
            cause.addSuppressed(e);
            retireLog();
        }
        problems.set(WAL_PROBLEM, file, message + "; writes to this shard fail until it can be written", false);
        return new IOException(message, cause);
    }

    /** Stops appending to the current log: its memtable is sealed (or dropped if empty). Caller holds the lock. */
    private void retireLog() {
        if (active == null) {
            return;
        }
        if (active.points > 0) {
            sealActive();
            return;
        }
        WriteAheadLog log = wal;
        settings.budget().release(active);
        settings.budget().filling(this, false);
        active = null;
        wal = null;
        walSeries = null;
        activeBytes = 0;
        try {
            log.close();
            Files.deleteIfExists(log.file());
        } catch (IOException e) {
            LOG.warn("Cannot remove empty write-ahead log {} ({}); the next open drops it", log.file(), FileErrors.describe(e));
        }
    }

    private static boolean sameFields(SeriesDef def, WriteBatch batch) {
        return def.fields() == batch.fields() || def.fields().equals(batch.fields());
    }

    /**
     * Waits until the write behind {@code token} is as durable as {@code durability} says. A failed
     * fsync retires the log (its memtable is written to a part from memory instead).
     *
     * @throws IOException naming the log file
     */
    public static void sync(SyncToken token, Durability durability) throws IOException {
        if (durability != Durability.FSYNC) {
            return;
        }
        try {
            token.wal().syncTo(token.position());
        } catch (IOException e) {
            Shard shard = token.shard();
            String message = "cannot fsync write-ahead log " + token.wal().file() + ": " + FileErrors.describe(e);
            synchronized (shard) {
                if (shard.wal == token.wal()) {
                    shard.retireLog();
                }
                shard.problems.set(WAL_PROBLEM, token.wal().file(), message + "; its memtable is written to a part instead",
                        false);
            }
            throw new IOException(message, e);
        }
    }

    /** Seals the active memtable and schedules its flush. Caller holds the lock. */
    private void sealActive() {
        if (active == null) {
            return;
        }
        Memtable memtable = active;
        memtable.seal(); // sorted once now; queries and the flush then only read it
        settings.budget().sealed(memtable);
        settings.budget().filling(this, false);
        sealed.add(new Sealed(memtable, wal));
        active = null;
        wal = null;
        walSeries = null;
        activeBytes = 0;
        scheduleFlush(0);
    }

    /** Seals the active memtable ahead of its threshold, because the memory budget needs room. */
    void sealEarly() {
        synchronized (this) {
            if (!closed && active != null && active.points > 0) {
                sealActive();
            }
        }
    }

    /** Caller holds the lock. */
    private void scheduleFlush(long delayMillis) {
        if (flushScheduled || closed) {
            return;
        }
        flushScheduled = true;
        try {
            settings.flusher().schedule(this::flushInBackground, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            flushScheduled = false; // the engine is closing; close() flushes on its own thread
        }
    }

    private void flushInBackground() {
        synchronized (this) {
            flushScheduled = false;
        }
        try {
            flushSealed();
        } catch (IOException | RuntimeException | Error e) {
            synchronized (this) {
                if (!sealed.isEmpty()) {
                    scheduleFlush(backoff(failuresInARow.getOrDefault(FLUSH_PROBLEM, 1)));
                }
            }
        }
    }

    private static long backoff(int failures) {
        return Math.min(LAST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(5, Math.max(0, failures - 1)));
    }

    /**
     * Writes every sealed memtable to a part, oldest first, so parts keep the order of writes; stops
     * at the first failure, which is recorded and thrown (any {@link Throwable}, errors included,
     * is caught here: a flush never dies silently).
     */
    private void flushSealed() throws IOException {
        flushLock.lock();
        try {
            while (true) {
                Sealed head;
                synchronized (this) {
                    if (sealed.isEmpty()) {
                        return;
                    }
                    head = sealed.get(0);
                }
                Path part = dir.resolve(Layout.partFileName(head.memtable().generation));
                try {
                    flushOne(head);
                } catch (IOException | RuntimeException | Error e) {
                    String message = "cannot flush memtable " + head.wal().file().getFileName() + " to part " + part + ": "
                            + FileErrors.describe(e) + " (" + e.getClass().getSimpleName() + "); its "
                            + head.memtable().points + " points stay in memory and in the log, retrying";
                    backgroundFailure(FLUSH_PROBLEM, part, message, e);
                    if (e instanceof IOException) {
                        throw new IOException(message, e);
                    }
                    throw new StorageException(message, e);
                }
                backgroundSuccess(FLUSH_PROBLEM);
            }
        } finally {
            flushLock.unlock();
        }
    }

    /** Records a failure of background work as a transient problem; logs it with its stack trace the first time. @return failures in a row */
    private int backgroundFailure(String kind, Path path, String message, Throwable e) {
        int failures;
        synchronized (this) {
            failures = failuresInARow.merge(kind, 1, Integer::sum);
            problems.set(kind, path, message, false);
        }
        if (failures == 1) {
            LOG.error("Shard {}: {}", dir, message, e);
        } else {
            LOG.warn("Shard {}: {} attempt {} failed: {}", dir, kind, failures, FileErrors.describe(e));
        }
        return failures;
    }

    private void backgroundSuccess(String kind) {
        Integer failures;
        synchronized (this) {
            failures = failuresInARow.remove(kind);
            problems.clear(kind);
        }
        if (failures != null) {
            LOG.info("Shard {}: {} succeeded again after {} failed attempt(s)", dir, kind, failures);
        }
    }

    private void flushOne(Sealed entry) throws IOException {
        PartReader part = writePart(entry.memtable());
        synchronized (this) {
            List<PartReader> next = new ArrayList<>(parts);
            int at = next.size();
            while (at > 0 && next.get(at - 1).generation() > part.generation()) {
                at--;
            }
            next.add(at, part);
            parts = List.copyOf(next);
            sealed.remove(entry);
        }
        settings.budget().release(entry.memtable());
        try {
            entry.wal().close();
            Files.delete(entry.wal().file());
            DurableFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            // The part is durable; a log whose part exists is dropped by the next open.
            LOG.warn("Shard {}: cannot delete flushed log {} ({}); the next open drops it", dir, entry.wal().file(),
                    FileErrors.describe(e));
        }
        requestMerge();
    }

    private PartReader writePart(Memtable memtable) throws IOException {
        Path file = dir.resolve(Layout.partFileName(memtable.generation));
        try (PartWriter writer = PartWriter.create(file)) {
            for (SeriesBuffer buffer : memtable.sortedSeries()) {
                writer.startSeries(buffer.def());
                writer.add(buffer.timestamps(), buffer.values(), 0, buffer.size());
            }
            writer.finish();
        }
        return PartReader.open(file, memtable.generation, this::knownSeries);
    }

    /**
     * The parts the next merge takes: the longest run of adjacent intact parts (never across a
     * quarantined one, so the merged part's place in the order stays right for last-write-wins),
     * without its oldest members while their total size exceeds the merge limit. Caller holds the lock.
     */
    private List<PartReader> mergeCandidates() {
        List<PartReader> all = parts;
        int bestFrom = 0;
        int bestTo = 0;
        for (int from = 0; from < all.size();) {
            int to = from;
            while (to < all.size() && !all.get(to).isDamaged()) {
                to++;
            }
            if (to - from > bestTo - bestFrom) {
                bestFrom = from;
                bestTo = to;
            }
            from = to + 1;
        }
        long total = 0;
        for (int i = bestFrom; i < bestTo; i++) {
            total += all.get(i).size();
        }
        while (bestFrom < bestTo && total > MAX_MERGE_INPUT_BYTES) {
            total -= all.get(bestFrom++).size();
        }
        return all.subList(bestFrom, bestTo);
    }

    private void requestMerge() {
        synchronized (this) {
            if (merging || closed || mergeCandidates().size() <= MAX_PARTS) {
                return;
            }
            merging = true;
        }
        try {
            settings.merger().execute(this::mergeInBackground);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                merging = false;
                notifyAll();
            }
        }
    }

    /** Merges until few enough parts are left; damage met on the way quarantines the damaged part. */
    private void mergeInBackground() {
        try {
            while (true) {
                List<PartReader> inputs;
                synchronized (this) {
                    inputs = List.copyOf(mergeCandidates());
                    if (closed || inputs.size() <= MAX_PARTS) {
                        return;
                    }
                }
                try {
                    inputs.forEach(PartReader::checkLength);
                    merge(inputs);
                    backgroundSuccess(MERGE_PROBLEM);
                } catch (CorruptSegmentException e) {
                    quarantine(inputs, e);
                } catch (InternalError e) {
                    // A mapped part was cut short after the check above: find it, or report the error as it is.
                    for (PartReader input : inputs) {
                        try {
                            input.checkLength();
                        } catch (CorruptSegmentException damage) {
                            damage.addSuppressed(e);
                            quarantine(inputs, damage);
                            e = null;
                            break;
                        }
                    }
                    if (e != null) {
                        throw e;
                    }
                }
            }
        } catch (CancellationException e) {
            LOG.debug("Shard {}: merge abandoned, the shard is closing", dir);
        } catch (IOException | RuntimeException | Error e) {
            String message = "cannot merge parts: " + FileErrors.describe(e) + " (" + e.getClass().getSimpleName()
                    + "); the parts stay as they are and are served, retrying";
            retryMergeLater(backoff(backgroundFailure(MERGE_PROBLEM, dir, message, e)));
        } finally {
            synchronized (this) {
                merging = false;
                notifyAll();
            }
        }
    }

    private void retryMergeLater(long delayMillis) {
        try {
            settings.flusher().schedule(this::requestMerge, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The engine is closing.
        }
    }

    /** Merges every part of {@code inputs} (adjacent, oldest first) into one named after the newest. */
    private void merge(List<PartReader> inputs) throws IOException {
        PartReader newest = inputs.get(inputs.size() - 1);
        Path target = newest.file();
        try (PartWriter writer = PartWriter.create(target)) {
            PartMerger.merge(inputs, writer, this::isClosed);
            writer.finish();
        }
        PartReader replacement = PartReader.open(target, newest.generation(), this::knownSeries);
        synchronized (this) {
            List<PartReader> next = new ArrayList<>(parts);
            int at = next.indexOf(inputs.get(0));
            next.subList(at, at + inputs.size()).clear();
            next.add(at, replacement);
            parts = List.copyOf(next);
        }
        for (PartReader input : inputs.subList(0, inputs.size() - 1)) {
            Files.delete(input.file());
        }
        DurableFiles.fsyncDirectory(dir);
        LOG.debug("Merged {} parts of {} into {}", inputs.size(), dir, target.getFileName());
    }

    /**
     * [S18] A part is damaged: keep it (for the operator), serve what of it is readable, never merge
     * it again, and report it as a permanent problem naming the file and offset.
     */
    private void quarantine(List<PartReader> inputs, CorruptSegmentException damage) {
        quarantine(inputs, damage, "a merge");
    }

    private void quarantine(List<PartReader> inputs, CorruptSegmentException damage, String metBy) {
        PartReader damaged = inputs.stream().filter(p -> p.file().equals(damage.path())).findFirst()
                .orElseThrow(() -> damage);
        damaged.markDamaged(damage.getMessage());
        String message = "part " + damaged.file() + " is damaged (" + damage.getMessage() + "), met by " + metBy + "; it is "
                + "quarantined: kept in place and excluded from merges, its intact blocks are served and queries reading a "
                + "damaged block fail naming it. Restore the file from a backup, or stop the server and delete it to drop "
                + "its points";
        problems.set("part:" + damaged.file().getFileName(), damaged.file(), message, true);
        LOG.error("Shard {}: {}", dir, message);
    }

    /**
     * Explains a fault met reading this shard's mapped parts (the JVM reports a read of a file cut
     * short as an {@link InternalError}, after the fact): the part that is shorter than it was
     * written is quarantined and returned as the error to report, or null if none is.
     */
    public CorruptSegmentException explainFault(InternalError fault) {
        for (PartReader part : parts) {
            try {
                part.checkLength();
            } catch (CorruptSegmentException damage) {
                damage.addSuppressed(fault);
                quarantine(List.of(part), damage, "a query");
                return damage;
            }
        }
        return null;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Writes the memtable to a part now (on the caller's thread) and every earlier sealed one.
     *
     * @throws IOException naming the part that cannot be written; the points stay in memory and
     *                     their logs, and the flush is retried in the background
     */
    public void flushNow() throws IOException {
        synchronized (this) {
            sealActive();
        }
        try {
            flushSealed();
        } catch (RuntimeException | Error e) {
            throw new IOException(e.getMessage(), e);
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
                    memtable.normalize(buffer);
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
            if (active != null) {
                settings.budget().account(active);
                activeBytes = active.bytes;
            }
            return new Snapshot(parts, selected, memory);
        }
    }

    /** [S9] Flushes what is in memory to parts and closes the logs; a merge in progress is abandoned. */
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
            shutDown();
        }
    }

    /** Closes without flushing: for a segment about to be deleted. */
    public void abandon() throws IOException {
        shutDown();
    }

    /**
     * Refuses further work, waits for a running merge to stop and a running flush to end, and
     * closes the logs; memtables not flushed stay in their logs for the next open.
     */
    private void shutDown() throws IOException {
        synchronized (this) {
            closed = true;
            // A merge under way would write and delete files after close returned (and after the
            // group's lock is released): wait for it. No new one starts once closed is set.
            Monitors.awaitUninterruptibly(this, () -> !merging);
        }
        flushLock.lock();
        try {
            List<Memtable> left = new ArrayList<>();
            List<WriteAheadLog> logs = new ArrayList<>();
            synchronized (this) {
                sealed.forEach(s -> {
                    left.add(s.memtable());
                    logs.add(s.wal());
                });
                sealed.clear();
                if (active != null) {
                    left.add(active);
                    logs.add(wal);
                    active = null;
                    wal = null;
                    walSeries = null;
                }
            }
            settings.budget().filling(this, false);
            left.forEach(settings.budget()::release);
            IOException failure = null;
            for (WriteAheadLog log : logs) {
                try {
                    log.close();
                } catch (IOException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            flushLock.unlock();
        }
    }
}
