package dev.banyan.storage.api;

import java.nio.file.Path;

/**
 * A segment the engine would refuse to open, found by {@link StorageEngine#check(Path)}.
 *
 * @param group   the group directory name
 * @param segment the segment directory
 * @param problem what is wrong, e.g. {@code incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0}
 */
public record SegmentProblem(String group, Path segment, String problem) {
}
