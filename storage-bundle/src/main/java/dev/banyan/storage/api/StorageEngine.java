package dev.banyan.storage.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The storage engine, registered as an OSGi service: opens each group's database under one data
 * root. Closing the engine (or stopping its bundle) closes every database it opened.
 */
@ProviderType
public interface StorageEngine {

    /** The directory holding one sub-directory per group. */
    Path dataRoot();

    /**
     * [S5]-[S11] Opens (creating if needed) the database of {@code group} at
     * {@code <data root>/<group>}.
     *
     * @throws StorageException             for invalid options or names, I/O failures, unparsable dirs
     * @throws DirectoryInUseException      if the directory is locked elsewhere
     * @throws IncompatibleVersionException if a segment has an unsupported format version (permanent)
     * @throws CorruptSegmentException      if a segment holds data without readable metadata (permanent)
     */
    Tsdb open(String group, TsdbOptions options);

    /** The open database of {@code group}, if this engine has one. */
    Optional<Tsdb> get(String group);

    /**
     * Deletes the whole directory of a group that is not open anywhere. Crash-safe: after a crash
     * the group is either fully present or fully gone.
     *
     * @throws DirectoryInUseException if the group is open (here or in another process)
     */
    void drop(String group);

    StorageCounters counters();

    /**
     * [S15] Read-only: the interval unit the segment directories of {@code group} on disk are named
     * by, empty if the group has no segment (or no directory). A group whose data is named by one
     * unit can never be opened with another; callers use this to refuse such options up front.
     *
     * @since 2.0
     */
    Optional<IntervalUnit> segmentUnit(String group);

    /**
     * Offline pre-flight: lists everything under {@code dataRoot} (any group) that open would refuse,
     * by the same layout rules open applies: unsupported versions, unreadable or missing metadata
     * with data present, unparsable or misnamed dirs, unknown files at any level, a group whose
     * segment naming zone cannot be determined, damaged part indexes and corrupt write-ahead logs.
     * An empty list means every group opens (with the interval unit its segments are named by).
     * Reads only, takes no lock, and may run beside a server using the same root.
     */
    List<SegmentProblem> check(Path dataRoot);
}
