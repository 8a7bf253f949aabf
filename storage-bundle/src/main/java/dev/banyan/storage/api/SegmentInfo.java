package dev.banyan.storage.api;

import java.nio.file.Path;

/**
 * One time segment of a group's database.
 *
 * @param startMillis the first instant the segment holds
 * @param endMillis   the first instant it no longer holds
 * @param version     the storage format version stamped in its metadata
 * @param directory   its directory, {@code <group dir>/seg-<start>}
 */
public record SegmentInfo(long startMillis, long endMillis, String version, Path directory) {

    public TimeRange range() {
        return new TimeRange(startMillis, endMillis);
    }
}
