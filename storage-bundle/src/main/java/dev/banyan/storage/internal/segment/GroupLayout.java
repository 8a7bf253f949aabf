package dev.banyan.storage.internal.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.IntervalUnit;

/**
 * [S1][S7][S10][S11][S12] Discovers and validates what a group dir holds, reading only. Open acts on
 * the answer (finishing interrupted operations, recording the group's metadata, opening shards); the
 * offline check reports what open would refuse. Both call this one method, so they cannot disagree.
 * <p>
 * Anything the engine did not write, or cannot read, is a permanent {@link CorruptSegmentException}
 * (or the version error [S4]) naming the file or dir; nothing is ever deleted for it. An I/O failure
 * is an {@link IOException}.
 */
public final class GroupLayout {

    /**
     * A segment dir found on disk.
     *
     * @param start    its start (epoch ms), from its name read in the group's naming zone
     * @param shards   the shard dirs it holds, by number
     */
    public record FoundSegment(Path dir, long start, SegmentMetadata metadata, List<Integer> shards) {
    }

    /**
     * What a group dir holds.
     *
     * @param metadata      how its segment names are read: from {@code group.json}, or recovered
     * @param recorded      whether {@code group.json} exists; if not, open writes {@code metadata}
     * @param segments      in ascending start order
     * @param leftovers     interrupted segment creations or deletions and unfinished metadata writes,
     *                      which open deletes (they never held acknowledged data)
     * @param emptySegments segment dirs holding nothing at all, which open removes [S10]
     */
    public record Scan(GroupMetadata metadata, boolean recorded, List<FoundSegment> segments, List<Path> leftovers,
            List<Path> emptySegments) {
    }

    private record Candidate(Path dir, LocalDateTime local, SegmentMetadata metadata, List<Integer> shards) {
    }

    private GroupLayout() {
    }

    /** Open's scan: the first problem is thrown. */
    public static Scan scan(Path groupDir, StorageVersions versions, IntervalUnit expectedUnit, ZoneId assumedZone)
            throws IOException {
        return scan(groupDir, versions, expectedUnit, assumedZone, null);
    }

    /**
     * @param expectedUnit the group's segment interval unit per its options, or null when unknown
     *                     (the offline check): then the recorded unit, or the names', is used
     * @param assumedZone  the zone to read the names of an older group in when nothing on disk
     *                     records it (every earlier release named segments in its process zone)
     * @param problems     null to throw the first problem (open); otherwise each entry's problem is
     *                     passed here and the scan goes on with the next entry (the check)
     */
    public static Scan scan(Path groupDir, StorageVersions versions, IntervalUnit expectedUnit, ZoneId assumedZone,
            Consumer<Exception> problems) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        List<Path> empty = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Path entry : list(groupDir)) {
            try {
                classify(entry, versions, leftovers, empty, candidates);
            } catch (IOException | RuntimeException e) {
                report(e, problems);
            }
        }
        Path metadataFile = groupDir.resolve(Layout.GROUP_METADATA_FILE);
        boolean recorded = Files.exists(metadataFile, LinkOption.NOFOLLOW_LINKS);
        GroupMetadata metadata = recorded ? GroupMetadata.read(metadataFile)
                : recover(groupDir, candidates, expectedUnit, assumedZone);
        String group = groupDir.getFileName().toString();
        TreeMap<Long, FoundSegment> segments = new TreeMap<>();
        for (Candidate c : candidates) {
            try {
                IntervalUnit named = SegmentGrid.unitOfName(c.dir().getFileName().toString());
                if (named != metadata.unit()) {
                    throw failedToLoad(c.dir(), recorded ? "named for " + named + ", but " + Layout.GROUP_METADATA_FILE
                            + " records " + metadata.unit() : unitMismatch(group, metadata.unit(), named));
                }
                long start = SegmentGrid.startOf(c.local(), metadata.zone());
                FoundSegment clash = segments.putIfAbsent(start, new FoundSegment(c.dir(), start, c.metadata(), c.shards()));
                if (clash != null) {
                    throw failedToLoad(c.dir(), "starts at the same instant as " + clash.dir() + " in zone " + metadata.zone());
                }
            } catch (RuntimeException e) {
                report(e, problems);
            }
        }
        if (recorded && expectedUnit != null && expectedUnit != metadata.unit()) {
            if (!candidates.isEmpty()) {
                // [S15] Names on disk never change: the options must.
                throw failedToLoad(candidates.get(0).dir(), unitMismatch(group, expectedUnit, metadata.unit()));
            }
            // Nothing is named yet: the group's metadata follows its options.
            return new Scan(new GroupMetadata(metadata.zone(), expectedUnit, metadata.zoneEvidence()), false, List.of(),
                    leftovers, empty);
        }
        return new Scan(metadata, recorded, List.copyOf(segments.values()), leftovers, empty);
    }

    /**
     * [S15] The interval unit the segment dirs of a group are named by: recorded in {@code group.json},
     * else that of its first segment name; empty while the group has no segment. Reads only.
     */
    public static Optional<IntervalUnit> segmentUnit(Path groupDir) throws IOException {
        if (!Files.isDirectory(groupDir)) {
            return Optional.empty();
        }
        for (Path entry : list(groupDir)) {
            String name = entry.getFileName().toString();
            if (name.startsWith(Layout.SEGMENT_PREFIX) && SegmentGrid.unitOfName(name) != null) {
                Path recorded = groupDir.resolve(Layout.GROUP_METADATA_FILE);
                return Optional.of(Files.exists(recorded) ? GroupMetadata.read(recorded).unit() : SegmentGrid.unitOfName(name));
            }
        }
        return Optional.empty();
    }

    private static String unitMismatch(String group, IntervalUnit expected, IntervalUnit named) {
        return "group " + group + ": segmentInterval unit " + expected + " does not match this segment, named for " + named
                + "; the unit of a group cannot change";
    }

    /** [S11] A segment dir the group cannot load, permanent, saying why. */
    private static CorruptSegmentException failedToLoad(Path dir, String reason) {
        return new CorruptSegmentException(dir, "failed to load (" + reason + ")");
    }

    private static void report(Exception e, Consumer<Exception> problems) throws IOException {
        if (problems == null) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        problems.accept(e);
    }

    /** Sorts one entry of a group dir into its place, or throws what is wrong with it. */
    private static void classify(Path entry, StorageVersions versions, List<Path> leftovers, List<Path> empty,
            List<Candidate> candidates) throws IOException {
        String name = entry.getFileName().toString();
        if (name.equals(Layout.LOCK_FILE) || name.equals(Layout.GROUP_METADATA_FILE)) {
            return;
        }
        if (name.equals(Layout.GROUP_METADATA_FILE + Layout.TEMP_SUFFIX)
                || name.startsWith(Layout.CREATING_PREFIX) || name.startsWith(Layout.DELETING_PREFIX)) {
            leftovers.add(entry);
        } else if (name.startsWith(Layout.SEGMENT_PREFIX)) {
            Candidate found = segment(entry, versions);
            if (found == null) {
                empty.add(entry);
            } else {
                candidates.add(found);
            }
        } else {
            throw new CorruptSegmentException(entry, "unknown file in group dir (the engine keeps only "
                    + Layout.LOCK_FILE + ", " + Layout.GROUP_METADATA_FILE + " and seg-* dirs there; move it elsewhere)");
        }
    }

    /** A {@code seg-*} dir: null if it holds nothing at all (a creation that never finished) [S10]. */
    private static Candidate segment(Path dir, StorageVersions versions) throws IOException {
        LocalDateTime local;
        try {
            local = SegmentGrid.parseName(dir.getFileName().toString());
        } catch (IllegalArgumentException e) {
            // [S11] exactly "failed to load: <dir>"; what is wrong with the name is the cause.
            throw (CorruptSegmentException) new CorruptSegmentException(dir, "failed to load").initCause(e);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw failedToLoad(dir, "a segment must be a directory");
        }
        Path file = dir.resolve(Layout.SEGMENT_METADATA_FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (list(dir).isEmpty()) {
                return null;
            }
            throw new CorruptSegmentException(dir, "segment holds data but has no metadata file; refusing to open rather than delete it");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new CorruptSegmentException(file, "segment metadata is not a regular file");
        }
        SegmentMetadata metadata = SegmentMetadata.read(file);
        versions.check(metadata.version(), dir);
        return new Candidate(dir, local, metadata, shards(dir, metadata.shardNum()));
    }

    /** [S10] Only the metadata file and {@code shard-<k>} dirs (k below the recorded shard count) belong in a segment. */
    private static List<Integer> shards(Path segmentDir, Integer shardNum) throws IOException {
        List<Integer> shards = new ArrayList<>();
        for (Path entry : list(segmentDir)) {
            String name = entry.getFileName().toString();
            if (name.equals(Layout.SEGMENT_METADATA_FILE)) {
                continue;
            }
            int number = Layout.parseShardDirName(name);
            if (number < 0 || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                throw new CorruptSegmentException(entry, "unknown file in segment");
            }
            if (shardNum != null && number >= shardNum) {
                throw new CorruptSegmentException(entry, "shard beyond the segment's recorded shardNum " + shardNum);
            }
            shards.add(number);
        }
        return shards;
    }

    /**
     * [S12] The naming zone of a group created before {@code group.json} existed. Its segments were
     * named in the writer's process zone, and the {@code endTime} of their metadata carries that
     * zone's UTC offset: one offset is recorded as that fixed offset; several (a zone with daylight
     * saving time) pick the region zone whose rules give exactly those offsets, preferring
     * {@code assumedZone}, and refuse if the candidates would read the names differently. With no
     * evidence at all, {@code assumedZone} is assumed, as every earlier release did.
     */
    private static GroupMetadata recover(Path groupDir, List<Candidate> candidates, IntervalUnit expectedUnit,
            ZoneId assumedZone) {
        IntervalUnit unit = expectedUnit != null ? expectedUnit
                : candidates.isEmpty() ? IntervalUnit.DAY : SegmentGrid.unitOfName(candidates.get(0).dir().getFileName().toString());
        if (candidates.isEmpty()) {
            return GroupMetadata.created(unit);
        }
        List<Candidate> evidence = candidates.stream().filter(c -> c.metadata().endTime() != null).toList();
        if (evidence.isEmpty()) {
            return new GroupMetadata(assumedZone, unit, "assumed " + assumedZone.getId() + ", the time zone of the server "
                    + "that first opened the group with a release recording it: no segment metadata records a UTC offset");
        }
        Set<ZoneOffset> offsets = new TreeSet<>();
        evidence.forEach(c -> offsets.add(c.metadata().endTime().getOffset()));
        String found = "the endTime offsets " + offsets + " of " + evidence.size() + " segment(s)";
        List<ZoneId> fitting = new ArrayList<>();
        if (offsets.size() == 1) {
            ZoneOffset only = offsets.iterator().next();
            if (fits(only, candidates)) {
                fitting.add(only);
            }
        } else {
            if (fits(assumedZone, candidates)) {
                fitting.add(assumedZone);
            }
            new TreeSet<>(ZoneId.getAvailableZoneIds()).stream().map(ZoneId::of)
                    .filter(zone -> !zone.equals(assumedZone) && fits(zone, candidates)).forEach(fitting::add);
        }
        String remedy = "; if you know the zone the segments were named in, record it in " + groupDir.resolve(Layout.GROUP_METADATA_FILE)
                + " as {\"format\":1,\"segmentNameZone\":\"<zone id>\",\"segmentIntervalUnit\":\"" + GroupMetadata.codeOf(unit) + "\"}";
        if (fitting.isEmpty()) {
            throw new CorruptSegmentException(groupDir, "cannot tell the time zone its segment names were written in: "
                    + found + " fit no time zone" + remedy);
        }
        ZoneId chosen = fitting.get(0);
        if (!chosen.equals(assumedZone)) {
            for (ZoneId other : fitting) {
                if (!starts(other, candidates).equals(starts(chosen, candidates))) {
                    throw new CorruptSegmentException(groupDir, "cannot tell the time zone its segment names were written in: "
                            + found + " fit both " + chosen + " and " + other + ", which read the names differently" + remedy);
                }
            }
        }
        return new GroupMetadata(chosen, unit, "recovered from " + found);
    }

    /** Whether names read in {@code zone} agree with every recorded end: its offset there, and a start before it. */
    private static boolean fits(ZoneId zone, List<Candidate> candidates) {
        for (Candidate c : candidates) {
            var end = c.metadata().endTime();
            if (end != null && (!zone.getRules().getOffset(end.toInstant()).equals(end.getOffset())
                    || SegmentGrid.startOf(c.local(), zone) >= end.toInstant().toEpochMilli())) {
                return false;
            }
        }
        return true;
    }

    private static List<Long> starts(ZoneId zone, List<Candidate> candidates) {
        return candidates.stream().map(c -> SegmentGrid.startOf(c.local(), zone)).toList();
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }
}
