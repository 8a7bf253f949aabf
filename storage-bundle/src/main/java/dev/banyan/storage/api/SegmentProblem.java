package dev.banyan.storage.api;

import java.nio.file.Path;

/**
 * Something under a data root the engine would refuse to open, found by {@link StorageEngine#check(Path)}.
 *
 * @param group   the group directory name
 * @param segment the file or directory at fault: a segment dir, or a file or dir in the group, a
 *                segment or a shard (the name is kept for compatibility)
 * @param problem what is wrong, as open would say it, e.g.
 *                {@code incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0}
 */
public record SegmentProblem(String group, Path segment, String problem) {
}
