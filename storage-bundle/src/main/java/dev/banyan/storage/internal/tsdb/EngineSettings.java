package dev.banyan.storage.internal.tsdb;

import java.time.Duration;

import dev.banyan.storage.internal.wal.WriteAheadLog;

/**
 * How an engine's write path is sized (PID {@code dev.banyan.storage}; see
 * {@code docs/SEMANTICS.md}, "Memory budget" and "Write window").
 *
 * @param flushThresholdPoints points a shard's memtable holds before it is flushed to a part
 * @param memtableBudgetBytes  heap every memtable of the engine together may take
 * @param writeStallTimeout    how long a write waits for memtable memory before it is refused
 * @param logRotationBytes     a write-ahead log this long is retired (and its memtable flushed); at
 *                             most {@link WriteAheadLog#ROTATE_BYTES}, which replay can always read
 * @param maxFuture            how far ahead of the engine's clock a written point may lie [S13a]
 */
public record EngineSettings(long flushThresholdPoints, long memtableBudgetBytes, Duration writeStallTimeout,
        long logRotationBytes, Duration maxFuture) {

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
        if (logRotationBytes <= 0 || logRotationBytes > WriteAheadLog.ROTATE_BYTES) {
            throw new IllegalArgumentException("log rotation size must be in (0, " + WriteAheadLog.ROTATE_BYTES + "], got "
                    + logRotationBytes);
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
        return new EngineSettings(DEFAULT_FLUSH_THRESHOLD, defaultMemtableBudget(), DEFAULT_WRITE_STALL,
                WriteAheadLog.ROTATE_BYTES, WriteWindow.DEFAULT_MAX_FUTURE);
    }

    public EngineSettings withFlushThresholdPoints(long points) {
        return new EngineSettings(points, memtableBudgetBytes, writeStallTimeout, logRotationBytes, maxFuture);
    }

    public EngineSettings withMemtableBudgetBytes(long bytes) {
        return new EngineSettings(flushThresholdPoints, bytes, writeStallTimeout, logRotationBytes, maxFuture);
    }

    public EngineSettings withWriteStallTimeout(Duration timeout) {
        return new EngineSettings(flushThresholdPoints, memtableBudgetBytes, timeout, logRotationBytes, maxFuture);
    }

    public EngineSettings withLogRotationBytes(long bytes) {
        return new EngineSettings(flushThresholdPoints, memtableBudgetBytes, writeStallTimeout, bytes, maxFuture);
    }

    public EngineSettings withMaxFuture(Duration future) {
        return new EngineSettings(flushThresholdPoints, memtableBudgetBytes, writeStallTimeout, logRotationBytes, future);
    }
}
