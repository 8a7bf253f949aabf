package dev.banyan.storage.internal.tsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.HashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.query.QueryExecutor;
import dev.banyan.storage.internal.shard.Monitors;
import dev.banyan.storage.internal.shard.SeriesDef;
import dev.banyan.storage.internal.shard.Shard;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Timestamps;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.fs.DirectoryLock;
import dev.banyan.storage.internal.fs.DurableFiles;
import dev.banyan.storage.internal.fs.FileErrors;
import dev.banyan.storage.internal.health.Problems;
import dev.banyan.storage.internal.segment.GroupLayout;
import dev.banyan.storage.internal.segment.GroupMetadata;
import dev.banyan.storage.internal.segment.Layout;
import dev.banyan.storage.internal.segment.SegmentGrid;
import dev.banyan.storage.internal.segment.SegmentMetadata;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.wal.WriteLimits;

/** One group's database: a locked directory of time segments. All state changes are serialised on this object. */
final class TsdbImpl implements Tsdb {

    private static final Logger LOG = LoggerFactory.getLogger(TsdbImpl.class);
    static final Duration ROTATION_LEAD = Duration.ofHours(1);
    static final Duration TICK_DEBOUNCE = Duration.ofMinutes(10);

    private final String group;
    private final Path dir;
    private final WriteWindow window;
    private final StorageVersions versions;
    private final StorageMetrics metrics;
    private final DirectoryLock lock;
    private final Consumer<TsdbImpl> onClose;
    private final TreeMap<Long, SegmentState> segments = new TreeMap<>();
    private final Shard.Settings shardSettings;
    private final MeasureFields measureFields;
    private volatile TsdbOptions options;
    /** How segment dirs are named (zone and unit), from {@code group.json}; set by {@link #load()}. */
    private GroupMetadata naming;
    private SegmentGrid grid;
    /** Group-level problems (segment and shard dirs that cannot be created); shards keep their own. */
    private final Problems problems;
    private long lastTickMillis = Long.MIN_VALUE;
    /** Set when close begins: from then on writes and new segments are refused. */
    private boolean closing;
    private boolean closed;
    /** Writes routed but not yet appended and synced; close waits for them (guarded by this). */
    private int writesInFlight;

    /** A segment, its shard count (fixed for its lifetime: a series always lives in one shard of it) and open shards. */
    private static final class SegmentState {
        final SegmentInfo info;
        final int shardNum;
        final Map<Integer, Shard> shards = new HashMap<>();

        SegmentState(SegmentInfo info, int shardNum) {
            this.info = info;
            this.shardNum = shardNum;
        }
    }

    private TsdbImpl(String group, Path dir, TsdbOptions options, WriteWindow window, StorageVersions versions,
            StorageMetrics metrics, DirectoryLock lock, Consumer<TsdbImpl> onClose, Shard.Settings shardSettings) {
        this.group = group;
        this.dir = dir;
        this.options = options;
        this.window = window;
        this.versions = versions;
        this.metrics = metrics;
        this.lock = lock;
        this.onClose = onClose;
        this.shardSettings = shardSettings;
        this.measureFields = new MeasureFields(group);
        this.problems = new Problems(shardSettings.clock());
    }

    /** [S5]-[S8] Validates, locks, loads; on any failure after locking, unlocks before rethrowing. */
    static TsdbImpl open(String group, Path dir, TsdbOptions options, WriteWindow window, StorageVersions versions,
            StorageMetrics metrics, Consumer<TsdbImpl> onClose, Shard.Settings shardSettings) {
        options.validate();
        try {
            DurableFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new StorageException("cannot create group dir " + dir + ": " + e.getMessage(), e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            TsdbImpl db = new TsdbImpl(group, dir, options, window, versions, metrics, lock, onClose, shardSettings);
            try {
                db.load();
            } catch (RuntimeException | Error e) {
                db.abandonShards();
                throw e;
            }
            return db;
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
    }

    /** [S7][S10][S12] Reads the group dir through its one layout owner, then acts on what it found. */
    private void load() {
        GroupLayout.Scan scan;
        try {
            scan = GroupLayout.scan(dir, versions, options.segmentInterval().unit(), window.clock().getZone());
        } catch (IOException e) {
            throw new StorageException("cannot read group dir " + dir + ": " + e.getMessage(), e);
        }
        // A creation that never got its rename (so never held data), or a deletion cut short.
        scan.leftovers().forEach(this::deleteLeftover);
        scan.emptySegments().forEach(this::deleteLeftover);
        naming = scan.metadata();
        grid = new SegmentGrid(options.segmentInterval(), naming.zone());
        if (!scan.recorded()) {
            writeGroupMetadata();
        }
        List<GroupLayout.FoundSegment> found = scan.segments();
        for (int i = 0; i < found.size(); i++) {
            GroupLayout.FoundSegment segment = found.get(i);
            SegmentMetadata metadata = segment.metadata();
            long end = metadata.endMillis() != null ? metadata.endMillis()
                    : i + 1 < found.size() ? found.get(i + 1).start() : grid.nominalEnd(segment.start());
            // [S15][S17] Segments created before the shard count was recorded keep the count of this open.
            int shardNum = metadata.shardNum() != null ? metadata.shardNum() : options.shardNum();
            SegmentState state = new SegmentState(new SegmentInfo(segment.start(), end, metadata.version(), segment.dir()), shardNum);
            segments.put(segment.start(), state);
            for (int number : segment.shards()) {
                state.shards.put(number, openShard(segment.dir(), number));
            }
        }
        for (SegmentState state : segments.values()) {
            for (Shard shard : state.shards.values()) {
                for (SeriesDef def : shard.allSeries()) {
                    measureFields.learn(def.ref().measure(), def.fields());
                }
            }
        }
    }

    /** [S12] Records once how segment names are read, so a reopen in any process zone reads them the same. */
    private void writeGroupMetadata() {
        Path file = dir.resolve(Layout.GROUP_METADATA_FILE);
        try {
            DurableFiles.writeAtomically(file, naming.toJson());
        } catch (IOException e) {
            throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
        }
        if (naming.zoneEvidence() != null) {
            LOG.info("Group {}: segment names are read in zone {} ({}); recorded in {}", group, naming.zone(),
                    naming.zoneEvidence(), file);
        }
    }

    private Shard openShard(Path segmentDir, int number) {
        Path shardDir = segmentDir.resolve(Layout.shardDirName(number));
        try {
            return Shard.open(shardDir, shardSettings);
        } catch (IOException e) {
            throw new StorageException("cannot open shard " + shardDir + ": " + FileErrors.describe(e), e);
        }
    }

    /** After a failed open: release the shards opened so far without writing anything. */
    private void abandonShards() {
        for (SegmentState state : segments.values()) {
            for (Shard shard : state.shards.values()) {
                try {
                    shard.abandon();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Cannot abandon {}", shard.directory(), e);
                }
            }
        }
    }

    private void deleteLeftover(Path entry) {
        try {
            LOG.info("Finishing an interrupted operation: deleting {}", entry);
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
        grid = new SegmentGrid(updated.segmentInterval(), naming.zone());
    }

    @Override
    public synchronized List<SegmentInfo> segments() {
        return segments.values().stream().map(state -> state.info).toList();
    }

    @Override
    public synchronized List<SegmentInfo> segments(TimeRange range) {
        return segments.values().stream().map(state -> state.info)
                .filter(s -> range.overlaps(s.startMillis(), s.endMillis())).toList();
    }

    @Override
    public synchronized SegmentInfo segmentFor(long timestampMillis) {
        return stateFor(timestampMillis).info;
    }

    private SegmentState stateFor(long timestampMillis) {
        ensureOpen();
        if (!Timestamps.isSupported(timestampMillis)) {
            throw new StorageException("invalid segment timestamp: " + Timestamps.describe(timestampMillis)
                    + " is outside the supported range " + Timestamps.supportedRange());
        }
        Map.Entry<Long, SegmentState> floor = segments.floorEntry(timestampMillis);
        if (floor != null && timestampMillis < floor.getValue().info.endMillis()) {
            return floor.getValue();
        }
        long start = grid.alignedStart(timestampMillis);
        long end = grid.nominalEnd(start);
        if (floor != null && floor.getValue().info.endMillis() > start) {
            start = floor.getValue().info.endMillis();
        }
        Map.Entry<Long, SegmentState> next = segments.higherEntry(timestampMillis);
        if (next != null) {
            end = Math.min(end, next.getKey());
        }
        return create(start, end);
    }

    private SegmentState create(long start, long end) {
        String name = grid.dirName(start);
        Path target = dir.resolve(name);
        Path staging = dir.resolve(Layout.CREATING_PREFIX + name);
        // [S15][S17] The shard count is the segment's own: a later change applies to segments created after it.
        int shardNum = options.shardNum();
        try {
            if (Files.exists(target)) {
                throw new StorageException("segment dir " + target + " exists but is not a loaded segment");
            }
            DurableFiles.deleteTree(staging);
            DurableFiles.createDirectories(staging);
            SegmentMetadata metadata = SegmentMetadata.of(StorageVersions.CURRENT, end, naming.zone(), shardNum);
            DurableFiles.writeAtomically(staging.resolve(Layout.SEGMENT_METADATA_FILE), metadata.toJson());
            DurableFiles.moveAtomically(staging, target);
        } catch (IOException e) {
            String message = "cannot create segment " + target + ": " + FileErrors.describe(e);
            problems.set("segment", target, message + "; writes to its time range fail until it can be created", false);
            throw new StorageException(message, e);
        }
        problems.clear("segment");
        SegmentState state = new SegmentState(new SegmentInfo(start, end, StorageVersions.CURRENT, target), shardNum);
        segments.put(start, state);
        LOG.debug("Created segment {} [{}, {})", target, start, end);
        return state;
    }

    /** The shard of a series in a segment, opened (and its dir created) on first use. */
    private synchronized Shard shardFor(SegmentState state, long seriesId) {
        ensureOpen();
        int number = (int) Math.floorMod(seriesId, (long) state.shardNum);
        Shard shard = state.shards.get(number);
        if (shard == null) {
            try {
                shard = openShard(state.info.directory(), number);
            } catch (StorageException e) {
                problems.set("shard", state.info.directory(), e.getMessage(), false);
                throw e;
            }
            problems.clear("shard");
            state.shards.put(number, shard);
        }
        return shard;
    }

    @Override
    public TimeRange acceptedTimestamps() {
        return window.accepted(options, window.clock().millis());
    }

    @Override
    public void write(WriteBatch batch) {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        // Refuse the whole batch before anything is written: all or nothing.
        WriteLimits.check(group, batch);
        measureFields.admit(batch.measure(), batch.fields());
        long now = window.clock().millis();
        window.check(group, batch, options, now);
        // [S18] Wait for memtable memory before anything is routed or written: a busy refusal writes nothing.
        shardSettings.budget().awaitRoom("group " + group);
        // Route every point to its segment and shard, then append each shard's points at once. A batch
        // touches few shards, so targets are found by a scan that starts with the last one used.
        List<Shard> targets = new ArrayList<>(4);
        List<int[]> targetPoints = new ArrayList<>(4);
        int[] targetCounts = new int[8];
        SegmentState current = null;
        synchronized (this) {
            Shard[] byNumber = null;
            int last = -1;
            for (int i = 0; i < n; i++) {
                long t = batch.timestamp(i);
                if (current == null || t < current.info.startMillis() || t >= current.info.endMillis()) {
                    current = stateFor(t);
                    byNumber = new Shard[current.shardNum];
                }
                int number = (int) Math.floorMod(batch.series(i).id(), (long) current.shardNum);
                Shard shard = byNumber[number];
                if (shard == null) {
                    shard = shardFor(current, batch.series(i).id());
                    byNumber[number] = shard;
                }
                if (last < 0 || targets.get(last) != shard) {
                    last = targets.indexOf(shard);
                    if (last < 0) {
                        targets.add(shard);
                        targetPoints.add(new int[n]);
                        last = targets.size() - 1;
                        if (last >= targetCounts.length) {
                            targetCounts = java.util.Arrays.copyOf(targetCounts, last * 2);
                        }
                    }
                }
                targetPoints.get(last)[targetCounts[last]++] = i;
            }
            // Routed: close now waits for this write to reach its shards before closing them.
            writesInFlight++;
        }
        List<Shard.SyncToken> tokens = new ArrayList<>(targets.size());
        try {
            for (int t = 0; t < targets.size(); t++) {
                tokens.add(targets.get(t).append(batch, targetPoints.get(t), targetCounts[t]));
            }
            for (Shard.SyncToken token : tokens) {
                Shard.sync(token, options.durability());
            }
        } catch (IOException e) {
            // [S18] The batch contract: each shard's part is all or nothing; parts handed over before
            // the failure may be stored.
            throw new StorageException("group " + group + ": write failed: " + e.getMessage() + (tokens.isEmpty()
                    ? "; nothing of this batch was written"
                    : "; this batch is not acknowledged, but the parts of it already handed to " + tokens.size() + " of "
                            + targets.size() + " shard(s) may be stored (each whole): retry the whole batch, which is "
                            + "idempotent"), e);
        } finally {
            synchronized (this) {
                if (--writesInFlight == 0) {
                    notifyAll();
                }
            }
        }
        tick(window.clock().millis());
    }

    @Override
    public QueryResult query(Query query) {
        QueryExecutor executor = new QueryExecutor(query, measureFields.of(query.measure()));
        List<TagMatcher> matchers = query.allMatchers();
        for (Shard shard : shardsOverlapping(query.range())) {
            try {
                executor.accept(shard.snapshot(query.measure(), matchers, executor::matches, query.range().startMillis(),
                        query.range().endMillis()));
            } catch (InternalError fault) {
                CorruptSegmentException damage = shard.explainFault(fault);
                if (damage != null) {
                    throw damage;
                }
                throw fault;
            }
        }
        return executor.result();
    }

    @Override
    public List<Map<String, String>> series(String measure, List<TagMatcher> matchers, TimeRange range) {
        // A series in several segments is listed once, with the tags of its newest segment.
        Map<SeriesRef, Map<String, String>> found = new HashMap<>();
        for (Shard shard : shardsOverlapping(range)) {
            for (SeriesDef def : shard.series(measure, matchers)) {
                found.put(def.ref(), new TreeMap<>(def.ref().allTags()));
            }
        }
        List<Map<String, String>> listed = new ArrayList<>(found.values());
        listed.sort(QueryExecutor::compareTags);
        return listed;
    }

    @Override
    public List<String> tagValues(String measure, String tag, List<TagMatcher> matchers, TimeRange range) {
        TreeSet<String> values = new TreeSet<>();
        for (Map<String, String> tags : series(measure, matchers, range)) {
            String value = tags.get(tag);
            if (value != null && !value.isEmpty()) {
                values.add(value);
            }
        }
        return new ArrayList<>(values);
    }

    /** The shards of the segments overlapping {@code range}, oldest segment first. */
    private List<Shard> shardsOverlapping(TimeRange range) {
        List<Shard> shards = new ArrayList<>();
        synchronized (this) {
            ensureOpen();
            for (SegmentState state : segments.values()) {
                if (range.overlaps(state.info.startMillis(), state.info.endMillis())) {
                    shards.addAll(state.shards.values());
                }
            }
        }
        return shards;
    }

    @Override
    public void checkFields(String measure, List<FieldDef> fields) {
        measureFields.check(measure, fields);
    }

    @Override
    public void flush() {
        for (Shard shard : openShards()) {
            try {
                shard.flushNow();
            } catch (IOException e) {
                throw new StorageException("group " + group + ": flush of " + shard.directory() + " failed: " + e.getMessage(), e);
            }
        }
    }

    private synchronized List<Shard> openShards() {
        List<Shard> all = new ArrayList<>();
        segments.values().forEach(state -> all.addAll(state.shards.values()));
        return all;
    }

    @Override
    public synchronized void tick(long nowMillis) {
        if (closing) {
            return;
        }
        // Within the debounce of the last accepted tick, either way, is ignored: concurrent writers tick
        // in any order. A tick further before it means the clock was set back: run, rather than sleep
        // until the clock catches up.
        if (lastTickMillis != Long.MIN_VALUE && Math.abs(nowMillis - lastTickMillis) < TICK_DEBOUNCE.toMillis()) {
            return;
        }
        lastTickMillis = nowMillis;
        if (options.rotationEnabled()) {
            rotate(nowMillis);
        }
        applyRetention(nowMillis);
    }

    /**
     * [S13][S13a] Creates the next segment ahead of time once the clock's {@code nowMillis} falls in the
     * last hour of the segment holding it (a segment holding a future point never counts as "now").
     */
    private void rotate(long nowMillis) {
        Map.Entry<Long, SegmentState> holding = segments.floorEntry(nowMillis);
        if (holding == null) {
            return;
        }
        SegmentInfo current = holding.getValue().info;
        if (nowMillis >= current.endMillis() || current.endMillis() - nowMillis >= ROTATION_LEAD.toMillis()
                || !Timestamps.isSupported(current.endMillis()) || segments.containsKey(current.endMillis())) {
            return;
        }
        metrics.rotationsStarted.incrementAndGet();
        try {
            stateFor(current.endMillis());
            metrics.rotationsFinished.incrementAndGet();
        } catch (RuntimeException e) {
            metrics.rotationErrors.incrementAndGet();
            LOG.error("Group {}: cannot create the next segment at {}", group, current.endMillis(), e);
        }
    }

    @Override
    public synchronized void applyRetention(long nowMillis) {
        if (closing || !options.retentionEnabled()) {
            return;
        }
        metrics.retentionsStarted.incrementAndGet();
        long deadline = nowMillis - options.ttl().duration().toMillis();
        try {
            while (!segments.isEmpty() && segments.firstEntry().getValue().info.endMillis() <= deadline) {
                SegmentState expired = segments.firstEntry().getValue();
                for (Shard shard : expired.shards.values()) {
                    shard.abandon();
                }
                Path hidden = dir.resolve(Layout.DELETING_PREFIX + expired.info.directory().getFileName());
                DurableFiles.moveAtomically(expired.info.directory(), hidden);
                segments.remove(expired.info.startMillis());
                DurableFiles.deleteTree(hidden);
                LOG.info("Group {}: deleted expired segment {}", group, expired.info.directory());
            }
            metrics.retentionsFinished.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            metrics.retentionErrors.incrementAndGet();
            LOG.error("Group {}: retention failed", group, e);
        }
    }

    /** True from the moment close begins: the database accepts nothing more. */
    @Override
    public TsdbHealth health() {
        List<TsdbHealth.Problem> all = new ArrayList<>();
        problems.addTo(all);
        for (Shard shard : openShards()) {
            all.addAll(shard.problems());
        }
        all.sort(java.util.Comparator.comparingLong(TsdbHealth.Problem::sinceMillis));
        return TsdbHealth.of(all);
    }

    @Override
    public synchronized boolean isClosed() {
        return closing;
    }

    /**
     * [S9] Refuses new writes, waits for the writes already routed to reach their shards (so none
     * opens a shard or a log once the lock is released), flushes every shard to parts, then unlocks;
     * idempotent (a second caller waits until the first has finished).
     */
    @Override
    public void close() {
        List<Shard> shards;
        synchronized (this) {
            if (closing) {
                Monitors.awaitUninterruptibly(this, () -> closed);
                return;
            }
            closing = true;
            Monitors.awaitUninterruptibly(this, () -> writesInFlight == 0);
            shards = openShards();
        }
        StorageException failure = null;
        for (Shard shard : shards) {
            try {
                shard.close();
            } catch (IOException | RuntimeException e) {
                if (failure == null) {
                    failure = new StorageException("group " + group + ": cannot flush every shard on close; "
                            + "the write-ahead logs are kept and replayed on the next open");
                }
                failure.addSuppressed(e);
            }
        }
        synchronized (this) {
            closed = true;
            lock.release();
            notifyAll();
        }
        onClose.accept(this);
        if (failure != null) {
            throw failure;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("database is closed: group " + group);
        }
        if (closing) {
            throw new StorageException("database is closing: group " + group);
        }
    }

    @Override
    public String toString() {
        return "Tsdb[" + group + " at " + dir + "]";
    }
}
