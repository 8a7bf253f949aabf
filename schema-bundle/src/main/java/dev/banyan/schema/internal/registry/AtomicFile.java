package dev.banyan.schema.internal.registry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** [R2] Replaces a file so that a crash leaves either the old or the new content: temp, fsync, rename, fsync dir. */
public final class AtomicFile {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFile() {
    }

    static void write(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, attributes("rwx------"));
        }
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes("rw-------"))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dirChannel = FileChannel.open(dir, StandardOpenOption.READ)) {
            dirChannel.force(true);
        }
    }

    /**
     * [R11] Null if files can be written in {@code dir} as {@link #write} does (creating it if
     * missing), else why not, naming the directory. Creates and deletes a file in {@code dir}, or in
     * its nearest existing ancestor when it does not exist yet (so the check leaves nothing behind):
     * root may not be able to write where permissions say it can.
     */
    public static String cannotWrite(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null) {
                throw new IOException("no part of the path exists");
            }
            Path probe = Files.createTempFile(existing, ".probe-", ".tmp", attributes("rw-------"));
            Files.delete(probe);
            return null;
        } catch (FileSystemException e) {
            // Named by the directory, not by the probe's random file name: the same problem reads the same
            // every time it is reported (the configuration guard logs a rejection once per distinct text).
            return "cannot create and write " + dir + ": " + e.getClass().getSimpleName() + " in " + existing
                    + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
        } catch (IOException | RuntimeException e) {
            return "cannot create and write " + dir + ": " + e;
        }
    }

    private static FileAttribute<?>[] attributes(String mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }
}
