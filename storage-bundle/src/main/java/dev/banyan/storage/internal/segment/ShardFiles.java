package dev.banyan.storage.internal.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.banyan.storage.api.CorruptSegmentException;

/**
 * [S10] What a shard dir holds, by kind, as {@link Layout} names it. Reads only: open (which then
 * deletes the temp files and replays the logs) and the offline check see the same answer.
 *
 * @param parts part files by generation
 * @param logs  write-ahead logs by generation
 * @param temps unfinished writes, safe to delete (their data is still in a log or in older parts)
 */
public record ShardFiles(TreeMap<Long, Path> parts, TreeMap<Long, Path> logs, List<Path> temps) {

    /**
     * @throws CorruptSegmentException (permanent) for anything but regular files this engine writes,
     *                                 naming the file; it is never deleted
     * @throws IOException             if the dir cannot be listed
     */
    public static ShardFiles scan(Path shardDir) throws IOException {
        TreeMap<Long, Path> parts = new TreeMap<>();
        TreeMap<Long, Path> logs = new TreeMap<>();
        List<Path> temps = new ArrayList<>();
        try (Stream<Path> entries = Files.list(shardDir)) {
            for (Path entry : entries.sorted().toList()) {
                if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    throw new CorruptSegmentException(entry, "unknown file in shard (not a regular file)");
                }
                Layout.ShardFile file = Layout.parseShardFileName(entry);
                switch (file.kind()) {
                    case PART -> parts.put(file.generation(), entry);
                    case LOG -> logs.put(file.generation(), entry);
                    case TEMP -> temps.add(entry);
                }
            }
        }
        return new ShardFiles(parts, logs, temps);
    }
}
