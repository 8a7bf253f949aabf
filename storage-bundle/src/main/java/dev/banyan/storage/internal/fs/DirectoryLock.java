package dev.banyan.storage.internal.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

import dev.banyan.storage.api.DirectoryInUseException;
import dev.banyan.storage.api.StorageException;

/**
 * [S6] An exclusive OS lock on {@code <dir>/lock}. The OS drops the lock when the holder dies, so a
 * stale lock file left by a killed process never blocks; the file itself only tells an operator
 * which process held it last.
 */
public final class DirectoryLock implements AutoCloseable {

    public static final String FILE_NAME = dev.banyan.storage.internal.segment.Layout.LOCK_FILE;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    public static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    DurableFiles.fileAttributes());
        } catch (IOException e) {
            throw new StorageException("cannot open lock file " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new DirectoryInUseException(file, "another open database in this JVM");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new DirectoryInUseException(file, "another process");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            DirectoryLock taken = new DirectoryLock(file, channel, lock);
            taken.release();
            throw new StorageException("cannot write lock file " + file + ": " + e.getMessage(), e);
        }
        return new DirectoryLock(file, channel, lock);
    }

    public Path file() {
        return file;
    }

    /**
     * [S8][S9] Deletes the lock file, then releases the lock. Deleting while still holding it means
     * no other opener can lock the old file in between and then find it deleted.
     */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The lock is still released below; a leftover file never blocks a later open.
        }
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases the lock as well.
        }
        closeQuietly(channel);
    }

    @Override
    public void close() {
        release();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to do: the channel is unusable either way.
        }
    }
}
