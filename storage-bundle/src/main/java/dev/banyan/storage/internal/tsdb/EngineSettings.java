package dev.banyan.storage.internal.tsdb;

import java.time.Duration;

/**
 * How an engine's write path is sized (PID {@code dev.banyan.storage}; see
 * {@code docs/SEMANTICS.md}, "Memory budget").
 *
 * @param flushThresholdPoints points a shard's memtable holds before it is flushed to a part
 * @param memtableBudgetBytes  heap every memtable of the engine together may take
 * @param writeStallTimeout    how long a write waits for memtable memory before it is refused
 * @param maxFuture            how far ahead of the engine's clock a written point may lie [S13a]
 *                             (see {@code docs/SEMANTICS.md}, "Write window")
 */
public record EngineSettings(long flushThresholdPoints, long memtableBudgetBytes, Duration writeStallTimeout,
        Duration maxFuture) {

    public static final long DEFAULT_FLUSH_THRESHOLD = 2_000_000;
    public static final Duration DEFAULT_WRITE_STALL = Duration.ofSeconds(10);
    private static final long MIN_DEFAULT_BUDGET = 16L << 20;

    public EngineSettings {
        if (flushThresholdPoints <= 0) {
            throw new IllegalArgumentException("flush threshold must be positive, got " + flushThresholdPoints + " points");
        }
        if (memtableBudgetBytes <= 0) {
            throw new IllegalArgumentException("memtable budget must be positive, got " + memtableBudgetBytes + " bytes");
        }
        if (writeStallTimeout.isNegative()) {
            throw new IllegalArgumentException("write stall timeout must not be negative, got " + writeStallTimeout);
        }
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("the accepted future must not be negative, got " + maxFuture);
        }
    }

    /** A quarter of the JVM's maximum heap ({@code -Xmx}), at least 16 MiB. */
    public static long defaultMemtableBudget() {
        return Math.max(MIN_DEFAULT_BUDGET, Runtime.getRuntime().maxMemory() / 4);
    }

    public static EngineSettings defaults() {
        return new EngineSettings(DEFAULT_FLUSH_THRESHOLD, defaultMemtableBudget(), DEFAULT_WRITE_STALL, WriteWindow.DEFAULT_MAX_FUTURE);
    }

    public EngineSettings withFlushThresholdPoints(long points) {
        return new EngineSettings(points, memtableBudgetBytes, writeStallTimeout, maxFuture);
    }

    public EngineSettings withMemtableBudgetBytes(long bytes) {
        return new EngineSettings(flushThresholdPoints, bytes, writeStallTimeout, maxFuture);
    }

    public EngineSettings withWriteStallTimeout(Duration timeout) {
        return new EngineSettings(flushThresholdPoints, memtableBudgetBytes, timeout, maxFuture);
    }

    public EngineSettings withMaxFuture(Duration future) {
        return new EngineSettings(flushThresholdPoints, memtableBudgetBytes, writeStallTimeout, future);
    }
}
