package dev.banyan.storage.internal.segment;

import java.nio.file.Path;

import dev.banyan.storage.api.CorruptSegmentException;

/**
 * [S1][S10] Every name the engine gives a file or directory, and how each is parsed back: the one
 * owner of the on-disk layout (as LevelDB's {@code filename.cc}). Nothing else builds or parses a
 * name; {@link GroupLayout} and {@link ShardFiles} discover and validate what a directory holds, for
 * open (read-write) and for the offline check (read-only) alike.
 *
 * <pre>
 * &lt;data root&gt;/
 *   .dropping-&lt;group&gt;/                a group being dropped (finished when an engine starts)
 *   .&lt;anything&gt;                       not the engine's (for example the schema registry's .registry)
 *   &lt;group&gt;/
 *     lock                             held (OS lock) while the group is open
 *     group.json                       how segment dirs are named: zone and interval unit; written once
 *     group.json.tmp                   an unfinished write of it (deleted on open)
 *     seg-yyyyMMdd | seg-yyyyMMddHH    a segment, named in the group's naming zone
 *     .creating-seg-* | .deleting-seg-*  a segment creation or deletion cut short (finished on open)
 *       metadata                       {"version":"1.5.0","endTime":"&lt;RFC 3339&gt;","shardNum":n}
 *       shard-&lt;k&gt;/                     0 &lt;= k &lt; shardNum
 *         wal-&lt;16 digits&gt;.log          write-ahead log of a memtable
 *         part-&lt;16 digits&gt;.bin         immutable columnar part
 *         *.tmp                        a part write that never finished (deleted on open)
 * </pre>
 */
public final class Layout {

    public static final String LOCK_FILE = "lock";
    public static final String GROUP_METADATA_FILE = "group.json";
    public static final String SEGMENT_METADATA_FILE = "metadata";
    public static final String SEGMENT_PREFIX = "seg-";
    /** A segment being created: renamed to {@code seg-*} only once its metadata is durable. */
    public static final String CREATING_PREFIX = ".creating-";
    /** A segment being deleted: renamed out of sight first, so a crash never leaves half of it visible. */
    public static final String DELETING_PREFIX = ".deleting-";
    /** A group being dropped, renamed out of sight first. */
    public static final String DROPPING_PREFIX = ".dropping-";
    /** The temp file of every crash-atomic write (temp, fsync, rename). */
    public static final String TEMP_SUFFIX = ".tmp";
    private static final String SHARD_PREFIX = "shard-";
    private static final String WAL_PREFIX = "wal-";
    private static final String WAL_SUFFIX = ".log";
    private static final String PART_PREFIX = "part-";
    private static final String PART_SUFFIX = ".bin";

    /** The kinds of file a shard dir holds. */
    public enum ShardFileKind {
        PART, LOG, TEMP
    }

    /** A shard file's kind and generation (0 for temp files). */
    public record ShardFile(ShardFileKind kind, long generation) {
    }

    private Layout() {
    }

    /** Entries of the data root that are not groups: hidden ones (the registry's, drops in progress). */
    public static boolean isHidden(String name) {
        return name.startsWith(".");
    }

    public static String shardDirName(int number) {
        return SHARD_PREFIX + number;
    }

    /** The number of a shard dir name, or -1 if {@code name} is not exactly one this engine writes. */
    public static int parseShardDirName(String name) {
        if (!name.startsWith(SHARD_PREFIX) || !name.substring(SHARD_PREFIX.length()).matches("0|[1-9]\\d{0,8}")) {
            return -1;
        }
        return Integer.parseInt(name.substring(SHARD_PREFIX.length()));
    }

    public static String walFileName(long generation) {
        return WAL_PREFIX + String.format("%016d", generation) + WAL_SUFFIX;
    }

    public static String partFileName(long generation) {
        return PART_PREFIX + String.format("%016d", generation) + PART_SUFFIX;
    }

    /**
     * What a file found in a shard dir is.
     *
     * @throws CorruptSegmentException (permanent) for any name this engine does not write
     */
    public static ShardFile parseShardFileName(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(TEMP_SUFFIX)) {
            return new ShardFile(ShardFileKind.TEMP, 0);
        }
        long part = generation(name, PART_PREFIX, PART_SUFFIX);
        if (part >= 0 && name.equals(partFileName(part))) {
            return new ShardFile(ShardFileKind.PART, part);
        }
        long log = generation(name, WAL_PREFIX, WAL_SUFFIX);
        if (log >= 0 && name.equals(walFileName(log))) {
            return new ShardFile(ShardFileKind.LOG, log);
        }
        throw new CorruptSegmentException(file, "unknown file in shard");
    }

    private static long generation(String name, String prefix, String suffix) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length() <= prefix.length() + suffix.length()) {
            return -1;
        }
        String digits = name.substring(prefix.length(), name.length() - suffix.length());
        if (!digits.matches("\\d{1,19}")) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
