package dev.banyan.storage.internal.tsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.IncompatibleVersionException;
import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.internal.segment.GroupLayout;
import dev.banyan.storage.internal.segment.Layout;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.shard.Shard;

/**
 * The read-only pre-flight behind {@code banyan:check}: open's own layout rules ({@link GroupLayout},
 * {@link Shard#verify}) run without opening, locking or changing anything, so the verdict is open's.
 */
final class SegmentCheck {

    private SegmentCheck() {
    }

    static List<SegmentProblem> scan(Path root, StorageVersions versions, ZoneId assumedZone) {
        if (!Files.isDirectory(root)) {
            throw new StorageException("no data root at " + root);
        }
        List<SegmentProblem> problems = new ArrayList<>();
        for (Path group : list(root)) {
            String name = group.getFileName().toString();
            if (!Files.isDirectory(group) || Layout.isHidden(name)) {
                continue;
            }
            if (!TsdbEngine.isGroupName(name)) {
                problems.add(new SegmentProblem(name, group, "not a group name (1-64 letters, digits, '_' or '-'): no group "
                        + "opens this directory"));
                continue;
            }
            checkGroup(name, group, versions, assumedZone, problems);
        }
        return problems;
    }

    private static void checkGroup(String name, Path group, StorageVersions versions, ZoneId assumedZone,
            List<SegmentProblem> problems) {
        try {
            GroupLayout.Scan scan = GroupLayout.scan(group, versions, null, assumedZone,
                    e -> report(name, group, e, problems));
            for (GroupLayout.FoundSegment segment : scan.segments()) {
                for (int shard : segment.shards()) {
                    try {
                        Shard.verify(segment.dir().resolve(Layout.shardDirName(shard)));
                    } catch (IOException | RuntimeException e) {
                        report(name, group, e, problems);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            report(name, group, e, problems);
        }
    }

    private static void report(String name, Path group, Exception e, List<SegmentProblem> problems) {
        if (e instanceof NoSuchFileException) {
            // Gone while checked: a server using this root flushed, merged or expired it.
            return;
        }
        if (e instanceof IncompatibleVersionException v) {
            problems.add(new SegmentProblem(name, v.segmentDirectory(), "incompatible version " + v.foundVersion()
                    + ", supported versions: " + String.join(", ", v.supportedVersions())));
        } else if (e instanceof CorruptSegmentException c) {
            problems.add(new SegmentProblem(name, c.path(), c.problem()));
        } else {
            problems.add(new SegmentProblem(name, group, "cannot be read: " + e));
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
