package dev.banyan.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A listing of a directory tree with file sizes and contents digests, to prove nothing on disk changed. */
public final class TreeSnapshot {

    private TreeSnapshot() {
    }

    public static List<String> of(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.sorted().map(p -> describe(root, p)).toList();
        }
    }

    private static String describe(Path root, Path p) {
        try {
            String relative = root.relativize(p).toString();
            if (Files.isDirectory(p)) {
                return relative + "/";
            }
            return relative + " " + Files.size(p) + " bytes, hash " + java.util.Arrays.hashCode(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
