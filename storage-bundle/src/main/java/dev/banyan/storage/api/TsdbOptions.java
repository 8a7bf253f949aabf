package dev.banyan.storage.api;

import java.util.Objects;

/**
 * How a group's database is laid out and maintained.
 *
 * @param segmentInterval  the time span of one segment; its unit also names the segment dirs
 * @param ttl              how long data is kept; segments ending before {@code now - ttl} are deleted
 * @param shardNum         shards per segment; a series always lands in the same shard
 * @param rotationEnabled  whether the next segment is created ahead of time
 * @param retentionEnabled whether expired segments are deleted
 * @param durability       when writes are acknowledged
 */
public record TsdbOptions(IntervalRule segmentInterval, IntervalRule ttl, int shardNum,
        boolean rotationEnabled, boolean retentionEnabled, Durability durability) {

    public TsdbOptions {
        Objects.requireNonNull(segmentInterval, "segmentInterval");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(durability, "durability");
    }

    /** Options with rotation and retention enabled and fsync'd writes. */
    public static TsdbOptions of(IntervalRule segmentInterval, IntervalRule ttl, int shardNum) {
        return new TsdbOptions(segmentInterval, ttl, shardNum, true, true, Durability.FSYNC);
    }

    public TsdbOptions withDurability(Durability mode) {
        return new TsdbOptions(segmentInterval, ttl, shardNum, rotationEnabled, retentionEnabled, mode);
    }

    public TsdbOptions withRotation(boolean enabled) {
        return new TsdbOptions(segmentInterval, ttl, shardNum, enabled, retentionEnabled, durability);
    }

    public TsdbOptions withRetention(boolean enabled) {
        return new TsdbOptions(segmentInterval, ttl, shardNum, rotationEnabled, enabled, durability);
    }

    public TsdbOptions withSegmentInterval(IntervalRule interval) {
        return new TsdbOptions(interval, ttl, shardNum, rotationEnabled, retentionEnabled, durability);
    }

    public TsdbOptions withTtl(IntervalRule newTtl) {
        return new TsdbOptions(segmentInterval, newTtl, shardNum, rotationEnabled, retentionEnabled, durability);
    }

    public TsdbOptions withShardNum(int shards) {
        return new TsdbOptions(segmentInterval, ttl, shards, rotationEnabled, retentionEnabled, durability);
    }

    /** [S5] Rejects options a database cannot be opened with. */
    public void validate() {
        if (segmentInterval.isAbsent()) {
            throw new StorageException("segment interval is absent");
        }
        if (ttl.isAbsent()) {
            throw new StorageException("ttl is absent");
        }
        if (shardNum <= 0) {
            throw new StorageException("shard number must be positive, got " + shardNum);
        }
    }
}
