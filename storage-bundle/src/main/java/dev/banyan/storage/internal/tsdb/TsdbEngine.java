package dev.banyan.storage.internal.tsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.StorageCounters;
import dev.banyan.storage.api.StorageEngine;
import dev.banyan.storage.internal.segment.GroupLayout;
import dev.banyan.storage.api.IntervalUnit;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.fs.DirectoryLock;
import dev.banyan.storage.internal.fs.DurableFiles;
import dev.banyan.storage.internal.segment.Layout;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.shard.MemoryBudget;
import dev.banyan.storage.internal.shard.Shard;

/** The engine: one data root, the databases opened under it, and their shared counters. */
public final class TsdbEngine implements StorageEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TsdbEngine.class);
    /** Group names become directory names: no separators, no dots, bounded length. */
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private final Path dataRoot;
    private final StorageVersions versions;
    private final Clock clock;
    private final WriteWindow window;
    private final StorageMetrics metrics;
    private final Map<String, TsdbImpl> open = new ConcurrentHashMap<>();

    private final ScheduledExecutorService flusher;
    private final ExecutorService merger;
    private final MemoryBudget budget;
    private final Shard.Settings shardSettings;

    public TsdbEngine(Path dataRoot, StorageVersions versions, Clock clock) {
        this(dataRoot, versions, clock, EngineSettings.defaults());
    }

    public TsdbEngine(Path dataRoot, StorageVersions versions, Clock clock, long flushThresholdPoints) {
        this(dataRoot, versions, clock, EngineSettings.defaults().withFlushThresholdPoints(flushThresholdPoints));
    }

    /**
     * @param clock    the wall clock: rotation, retention, ticks and the write window run on it [S13a]
     * @param settings memtable budget, flush threshold, write stall and accepted future
     */
    public TsdbEngine(Path dataRoot, StorageVersions versions, Clock clock, EngineSettings settings) {
        this.dataRoot = dataRoot.toAbsolutePath().normalize();
        this.versions = versions;
        this.window = new WriteWindow(clock, settings.maxFuture());
        this.clock = clock;
        // One thread flushes for every shard (in order per shard), one merges: ingest keeps a core.
        this.flusher = Executors.newSingleThreadScheduledExecutor(daemon("banyan-flush"));
        this.merger = Executors.newSingleThreadExecutor(daemon("banyan-merge"));
        this.budget = new MemoryBudget(settings.memtableBudgetBytes(), settings.writeStallTimeout());
        this.metrics = new StorageMetrics(budget);
        this.shardSettings = new Shard.Settings(settings.flushThresholdPoints(), settings.logRotationBytes(), budget, flusher,
                merger, clock);
        finishInterruptedDrops();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The memory budget every memtable of this engine shares. */
    public MemoryBudget memoryBudget() {
        return budget;
    }

    @Override
    public Path dataRoot() {
        return dataRoot;
    }

    public StorageMetrics metrics() {
        return metrics;
    }

    @Override
    public Tsdb open(String group, TsdbOptions options) {
        checkName(group);
        TsdbImpl db = TsdbImpl.open(group, dataRoot.resolve(group), options, window, versions, metrics,
                closed -> {
                    open.remove(closed.group(), closed);
                    metrics.openDatabases.decrementAndGet();
                }, shardSettings);
        open.put(group, db);
        metrics.openDatabases.incrementAndGet();
        LOG.info("Opened group {} at {} with {} segment(s)", group, db.directory(), db.segments().size());
        return db;
    }

    @Override
    public Optional<Tsdb> get(String group) {
        return Optional.ofNullable(open.get(group));
    }

    @Override
    public void drop(String group) {
        checkName(group);
        Path dir = dataRoot.resolve(group);
        if (!Files.isDirectory(dir)) {
            throw new StorageException("group " + group + " has no directory at " + dir);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        Path hidden = dataRoot.resolve(Layout.DROPPING_PREFIX + group);
        try {
            DurableFiles.deleteTree(hidden);
            DurableFiles.moveAtomically(dir, hidden);
        } catch (IOException e) {
            lock.release();
            throw new StorageException("cannot drop group " + group + " at " + dir + ": " + e.getMessage(), e);
        }
        lock.release();
        try {
            DurableFiles.deleteTree(hidden);
        } catch (IOException e) {
            throw new StorageException("group " + group + " is dropped but " + hidden + " is not fully deleted: "
                    + e.getMessage(), e);
        }
        LOG.info("Dropped group {} ({})", group, dir);
    }

    @Override
    public StorageCounters counters() {
        return metrics.snapshot();
    }

    @Override
    public Optional<IntervalUnit> segmentUnit(String group) {
        checkName(group);
        Path dir = dataRoot.resolve(group);
        try {
            return GroupLayout.segmentUnit(dir);
        } catch (IOException e) {
            throw new StorageException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<SegmentProblem> check(Path root) {
        return SegmentCheck.scan(root, versions, clock.getZone());
    }

    /** [S14] The scheduled retention pass over every open database, at the engine clock's "now". */
    public void applyRetention() {
        long now = clock.millis();
        for (TsdbImpl db : List.copyOf(open.values())) {
            db.applyRetention(now);
        }
    }

    /** Closes every open database; each releases its lock before this returns. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (TsdbImpl db : List.copyOf(open.values())) {
            try {
                db.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        flusher.shutdownNow(); // pending retries are moot: every shard flushed (or kept its logs) on close
        merger.shutdown();
        if (!failures.isEmpty()) {
            StorageException error = new StorageException("cannot close every database under " + dataRoot);
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void finishInterruptedDrops() {
        if (!Files.isDirectory(dataRoot)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dataRoot)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(Layout.DROPPING_PREFIX)).toList()) {
                LOG.info("Finishing interrupted drop: deleting {}", entry);
                DurableFiles.deleteTree(entry);
            }
        } catch (IOException e) {
            throw new StorageException("cannot finish an interrupted drop under " + dataRoot + ": " + e.getMessage(), e);
        }
    }

    static boolean isGroupName(String name) {
        return name != null && GROUP_NAME.matcher(name).matches();
    }

    private static void checkName(String group) {
        if (!isGroupName(group)) {
            throw new StorageException("invalid group name '" + group
                    + "': use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
    }
}
