package dev.banyan.storage.internal.tsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.fs.DirectoryLock;
import dev.banyan.storage.internal.fs.DurableFiles;
import dev.banyan.storage.internal.segment.SegmentGrid;
import dev.banyan.storage.internal.segment.SegmentMetadata;
import dev.banyan.storage.internal.segment.StorageVersions;

/** One group's database: a locked directory of time segments. All state changes are serialised on this object. */
final class TsdbImpl implements Tsdb {

    private static final Logger LOG = LoggerFactory.getLogger(TsdbImpl.class);
    static final Duration ROTATION_LEAD = Duration.ofHours(1);
    static final Duration TICK_DEBOUNCE = Duration.ofMinutes(10);
    /** A segment being created: renamed to {@code seg-*} only once its metadata is durable. */
    static final String CREATING_PREFIX = ".creating-";
    /** A segment being deleted: renamed out of sight first, so a crash never leaves half of it visible. */
    static final String DELETING_PREFIX = ".deleting-";
    private static final String SHARD_PREFIX = "shard-";

    private final String group;
    private final Path dir;
    private final ZoneId zone;
    private final StorageVersions versions;
    private final StorageMetrics metrics;
    private final DirectoryLock lock;
    private final Consumer<TsdbImpl> onClose;
    private final TreeMap<Long, SegmentInfo> segments = new TreeMap<>();
    private volatile TsdbOptions options;
    private SegmentGrid grid;
    private long lastTickMillis = Long.MIN_VALUE;
    private boolean closed;

    private TsdbImpl(String group, Path dir, TsdbOptions options, ZoneId zone, StorageVersions versions,
            StorageMetrics metrics, DirectoryLock lock, Consumer<TsdbImpl> onClose) {
        this.group = group;
        this.dir = dir;
        this.options = options;
        this.zone = zone;
        this.versions = versions;
        this.metrics = metrics;
        this.lock = lock;
        this.onClose = onClose;
        this.grid = new SegmentGrid(options.segmentInterval(), zone);
    }

    /** [S5]-[S8] Validates, locks, loads; on any failure after locking, unlocks before rethrowing. */
    static TsdbImpl open(String group, Path dir, TsdbOptions options, ZoneId zone, StorageVersions versions,
            StorageMetrics metrics, Consumer<TsdbImpl> onClose) {
        options.validate();
        try {
            DurableFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create group dir " + dir + ": " + e.getMessage(), e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            TsdbImpl db = new TsdbImpl(group, dir, options, zone, versions, metrics, lock, onClose);
            db.load();
            return db;
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
    }

    private void load() {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        TreeMap<Long, Path> found = new TreeMap<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.startsWith(CREATING_PREFIX) || name.startsWith(DELETING_PREFIX)) {
                // A creation never got its rename (so never held data), or a deletion was cut short.
                deleteLeftover(entry);
            } else if (name.startsWith(SegmentGrid.PREFIX)) {
                long start;
                try {
                    start = grid.parseDirName(name);
                } catch (IllegalArgumentException e) {
                    throw new StorageException("failed to load: " + entry, e);
                }
                found.put(start, entry);
            }
        }
        List<Long> starts = new ArrayList<>(found.keySet());
        for (int i = 0; i < starts.size(); i++) {
            long start = starts.get(i);
            Path segmentDir = found.get(start);
            SegmentMetadata metadata = readMetadata(segmentDir);
            if (metadata == null) {
                continue;
            }
            versions.check(metadata.version(), segmentDir);
            checkContents(segmentDir);
            long end = metadata.endMillis() != null ? metadata.endMillis()
                    : i + 1 < starts.size() ? starts.get(i + 1) : grid.nominalEnd(start);
            segments.put(start, new SegmentInfo(start, end, metadata.version(), segmentDir));
        }
    }

    /** [S10] Null if the dir was entirely empty and has been removed; otherwise the metadata or a permanent error. */
    private SegmentMetadata readMetadata(Path segmentDir) {
        Path file = segmentDir.resolve(SegmentMetadata.FILE_NAME);
        try {
            if (!Files.exists(file)) {
                try (Stream<Path> contents = Files.list(segmentDir)) {
                    if (contents.findAny().isPresent()) {
                        throw new CorruptSegmentException(segmentDir,
                                "segment holds data but has no metadata file; refusing to open rather than delete it");
                    }
                }
                LOG.warn("Removing empty segment dir {} (a creation that never finished)", segmentDir);
                Files.delete(segmentDir);
                DurableFiles.fsyncDirectory(dir);
                return null;
            }
            return SegmentMetadata.read(file);
        } catch (IOException e) {
            throw new StorageException("cannot read segment metadata " + file + ": " + e.getMessage(), e);
        }
    }

    /** [S10] Only the metadata file and shard dirs belong in a segment; anything else is refused, never deleted. */
    private static void checkContents(Path segmentDir) {
        try (Stream<Path> contents = Files.list(segmentDir)) {
            for (Path entry : contents.toList()) {
                String name = entry.getFileName().toString();
                boolean known = name.equals(SegmentMetadata.FILE_NAME)
                        || (Files.isDirectory(entry) && name.matches(SHARD_PREFIX + "\\d+"));
                if (!known) {
                    throw new CorruptSegmentException(entry, "unknown file in segment");
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list " + segmentDir + ": " + e.getMessage(), e);
        }
    }

    private void deleteLeftover(Path entry) {
        try {
            LOG.info("Finishing interrupted segment operation: deleting {}", entry);
            DurableFiles.deleteTree(entry);
            DurableFiles.fsyncDirectory(dir);
        } catch (IOException e) {
            throw new StorageException("cannot delete leftover " + entry + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public Path directory() {
        return dir;
    }

    @Override
    public TsdbOptions options() {
        return options;
    }

    @Override
    public synchronized void updateOptions(TsdbOptions updated) {
        ensureOpen();
        updated.validate();
        if (updated.segmentInterval().unit() != options.segmentInterval().unit()) {
            throw new StorageException("group " + group + ": the segment interval unit cannot change from "
                    + options.segmentInterval().unit() + " to " + updated.segmentInterval().unit());
        }
        options = updated;
        grid = new SegmentGrid(updated.segmentInterval(), zone);
    }

    @Override
    public synchronized List<SegmentInfo> segments() {
        return List.copyOf(segments.values());
    }

    @Override
    public synchronized List<SegmentInfo> segments(TimeRange range) {
        return segments.values().stream().filter(s -> range.overlaps(s.startMillis(), s.endMillis())).toList();
    }

    @Override
    public synchronized SegmentInfo segmentFor(long timestampMillis) {
        ensureOpen();
        if (timestampMillis <= 0) {
            throw new StorageException("invalid segment timestamp: " + timestampMillis);
        }
        Map.Entry<Long, SegmentInfo> floor = segments.floorEntry(timestampMillis);
        if (floor != null && timestampMillis < floor.getValue().endMillis()) {
            return floor.getValue();
        }
        long start = grid.alignedStart(timestampMillis);
        long end = grid.nominalEnd(start);
        if (floor != null && floor.getValue().endMillis() > start) {
            start = floor.getValue().endMillis();
        }
        Map.Entry<Long, SegmentInfo> next = segments.higherEntry(timestampMillis);
        if (next != null) {
            end = Math.min(end, next.getKey());
        }
        return create(start, end);
    }

    private SegmentInfo create(long start, long end) {
        String name = grid.dirName(start);
        Path target = dir.resolve(name);
        Path staging = dir.resolve(CREATING_PREFIX + name);
        try {
            if (Files.exists(target)) {
                throw new StorageException("segment dir " + target + " exists but is not a loaded segment");
            }
            DurableFiles.deleteTree(staging);
            DurableFiles.createDirectories(staging);
            SegmentMetadata metadata = new SegmentMetadata(StorageVersions.CURRENT, end);
            DurableFiles.writeAtomically(staging.resolve(SegmentMetadata.FILE_NAME), metadata.toJson(zone));
            DurableFiles.moveAtomically(staging, target);
        } catch (IOException e) {
            throw new StorageException("cannot create segment " + target + ": " + e.getMessage(), e);
        }
        SegmentInfo info = new SegmentInfo(start, end, StorageVersions.CURRENT, target);
        segments.put(start, info);
        LOG.debug("Created segment {} [{}, {})", target, start, end);
        return info;
    }

    @Override
    public synchronized void tick(long nowMillis) {
        if (closed) {
            return;
        }
        if (lastTickMillis != Long.MIN_VALUE && nowMillis < lastTickMillis + TICK_DEBOUNCE.toMillis()) {
            return;
        }
        lastTickMillis = nowMillis;
        if (options.rotationEnabled()) {
            rotate(nowMillis);
        }
        applyRetention(nowMillis);
    }

    /** [S13] Creates the next segment once the newest write falls in the last hour of the newest segment. */
    private void rotate(long nowMillis) {
        Map.Entry<Long, SegmentInfo> newest = segments.lastEntry();
        if (newest == null) {
            return;
        }
        SegmentInfo last = newest.getValue();
        if (nowMillis < last.startMillis() || nowMillis >= last.endMillis()
                || last.endMillis() - nowMillis >= ROTATION_LEAD.toMillis()) {
            return;
        }
        metrics.rotationsStarted.incrementAndGet();
        try {
            segmentFor(last.endMillis());
            metrics.rotationsFinished.incrementAndGet();
        } catch (RuntimeException e) {
            metrics.rotationErrors.incrementAndGet();
            LOG.error("Group {}: cannot create the next segment at {}", group, last.endMillis(), e);
        }
    }

    @Override
    public synchronized void applyRetention(long nowMillis) {
        if (closed || !options.retentionEnabled()) {
            return;
        }
        metrics.retentionsStarted.incrementAndGet();
        long deadline = nowMillis - options.ttl().duration().toMillis();
        try {
            while (!segments.isEmpty() && segments.firstEntry().getValue().endMillis() <= deadline) {
                SegmentInfo expired = segments.firstEntry().getValue();
                Path hidden = dir.resolve(DELETING_PREFIX + expired.directory().getFileName());
                DurableFiles.moveAtomically(expired.directory(), hidden);
                segments.remove(expired.startMillis());
                DurableFiles.deleteTree(hidden);
                LOG.info("Group {}: deleted expired segment {}", group, expired.directory());
            }
            metrics.retentionsFinished.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            metrics.retentionErrors.incrementAndGet();
            LOG.error("Group {}: retention failed", group, e);
        }
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            lock.release();
        }
        onClose.accept(this);
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("database is closed: group " + group);
        }
    }

    @Override
    public String toString() {
        return "Tsdb[" + group + " at " + dir + "]";
    }
}
