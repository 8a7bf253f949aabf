package dev.banyan.storage.internal.tsdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.banyan.storage.api.IncompatibleVersionException;
import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.internal.segment.SegmentMetadata;
import dev.banyan.storage.internal.segment.StorageVersions;

/** The read-only pre-flight behind {@code banyan:check}: the version and metadata rules of open, without opening. */
final class SegmentCheck {

    private SegmentCheck() {
    }

    static List<SegmentProblem> scan(Path root, StorageVersions versions) {
        if (!Files.isDirectory(root)) {
            throw new StorageException("no data root at " + root);
        }
        List<SegmentProblem> problems = new ArrayList<>();
        for (Path group : list(root)) {
            if (!Files.isDirectory(group) || group.getFileName().toString().startsWith(".")) {
                continue;
            }
            for (Path segment : list(group)) {
                String name = segment.getFileName().toString();
                if (!Files.isDirectory(segment) || !name.startsWith("seg-")) {
                    continue;
                }
                String groupName = group.getFileName().toString();
                if (!name.matches("seg-\\d{8}(\\d{2})?")) {
                    problems.add(new SegmentProblem(groupName, segment, "unparsable segment dir name (open fails: failed to load)"));
                    continue;
                }
                Path metadata = segment.resolve(SegmentMetadata.FILE_NAME);
                if (!Files.exists(metadata)) {
                    if (!list(segment).isEmpty()) {
                        problems.add(new SegmentProblem(groupName, segment, "segment holds data but has no metadata file"));
                    }
                    continue;
                }
                try {
                    versions.check(SegmentMetadata.read(metadata).version(), segment);
                } catch (IncompatibleVersionException e) {
                    problems.add(new SegmentProblem(groupName, segment, "incompatible version " + e.foundVersion()
                            + ", supported versions: " + String.join(", ", e.supportedVersions())));
                } catch (IOException | StorageException e) {
                    problems.add(new SegmentProblem(groupName, segment, "unreadable metadata: " + e.getMessage()));
                }
            }
        }
        return problems;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new StorageException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
