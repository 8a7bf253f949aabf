package dev.banyan.storage.internal.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;
import dev.banyan.storage.internal.fs.DurableFiles;

/**
 * [S18] A shard's write-ahead log. Each record is {@code [length][payload crc32c][header crc32c]
 * [payload]}. {@link #append} hands the bytes to the OS; {@link #syncTo} makes them durable with
 * group commit: whoever fsyncs covers every record written before it started, so concurrent
 * writers share one fsync.
 */
public final class WriteAheadLog implements AutoCloseable {

    static final int HEADER = 12;
    /** The largest record payload replay accepts; a longer length field is taken for damage (a torn tail). */
    public static final int MAX_RECORD = 256 << 20;
    /** A log is retired once this long, so replay (which reads a log whole) never meets one it cannot hold. */
    public static final long ROTATE_BYTES = 1L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);

    private final Path file;
    private final FileChannel channel;
    private final Object syncLock = new Object();
    /** The length of the log up to its last whole record. */
    private long written;
    private volatile long synced;
    /** Set once an fsync failed: the OS may have dropped the unsynced pages, so nothing here is trusted as durable again. */
    private volatile IOException syncFailure;

    private WriteAheadLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Creates an empty log; on failure nothing of it is left behind. */
    public static WriteAheadLog create(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                DurableFiles.fileAttributes());
        try {
            DurableFiles.fsyncDirectory(file.getParent());
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
        return new WriteAheadLog(file, channel);
    }

    public Path file() {
        return file;
    }

    /** The log's length up to its last whole record. */
    public long size() {
        return written;
    }

    /**
     * Writes one record; the caller serialises appends. If it throws, the log may end in part of
     * the record: call {@link #truncateToLastRecord()} before appending again.
     *
     * @return the log length after it
     */
    public long append(ByteSink payload) throws IOException {
        int len = payload.size();
        if (len > MAX_RECORD) {
            // Replay would take it for a torn tail and drop it: never write what cannot be read back.
            throw new IllegalArgumentException("a " + len + "-byte record is more than the " + MAX_RECORD
                    + "-byte limit of write-ahead log " + file);
        }
        byte[] header = new byte[HEADER];
        CRC32C crc = new CRC32C();
        crc.update(payload.array(), 0, len);
        putInt(header, 0, len);
        putInt(header, 4, (int) crc.getValue());
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(header, 0, 8);
        putInt(header, 8, (int) headerCrc.getValue());
        ByteBuffer[] buffers = {ByteBuffer.wrap(header), ByteBuffer.wrap(payload.array(), 0, len)};
        long total = HEADER + (long) len;
        long done = 0;
        while (done < total) {
            done += channel.write(buffers);
        }
        written += total;
        return written;
    }

    /** Cuts off whatever a failed {@link #append} left after the last whole record. */
    public void truncateToLastRecord() throws IOException {
        channel.truncate(written);
        channel.position(written);
    }

    /**
     * Returns once everything up to {@code position} is on stable storage. After one failed fsync
     * every later call fails too: the log can no longer vouch for its unsynced records.
     */
    public void syncTo(long position) throws IOException {
        if (synced >= position) {
            return;
        }
        synchronized (syncLock) {
            if (syncFailure != null) {
                throw new IOException("an earlier fsync of " + file + " failed (" + syncFailure.getMessage() + ")", syncFailure);
            }
            if (synced >= position) {
                return;
            }
            long target = channel.size();
            try {
                channel.force(false);
            } catch (IOException e) {
                syncFailure = e;
                throw e;
            }
            synced = target;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Replays every intact record. A damaged record followed by nothing intact is a torn tail (a
     * write that was never acknowledged): the file is truncated there, with a warning. A damaged
     * record followed by an intact one is corruption of acknowledged data: an error naming the file
     * and offset, and the file is left as it is.
     */
    public static void replay(Path file, Consumer<ByteSource> apply) throws IOException {
        read(file, apply, true);
    }

    /** {@link #replay} without changing the file: a torn tail is passed over, not truncated (the offline check). */
    public static void verify(Path file, Consumer<ByteSource> apply) throws IOException {
        read(file, apply, false);
    }

    private static void read(Path file, Consumer<ByteSource> apply, boolean truncateTornTail) throws IOException {
        byte[] data = Files.readAllBytes(file);
        int pos = 0;
        while (pos < data.length) {
            int length = intactRecordAt(data, pos);
            if (length < 0) {
                if (intactRecordAfter(data, pos + 1)) {
                    throw new CorruptSegmentException(file, "write-ahead log corrupt at offset " + pos
                            + " with intact records after it; refusing to drop acknowledged writes");
                }
                if (!truncateTornTail) {
                    return;
                }
                LOG.warn("Truncating torn tail of {} at offset {} ({} bytes never acknowledged)", file, pos, data.length - pos);
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(pos);
                    channel.force(true);
                }
                return;
            }
            try {
                apply.accept(new ByteSource(data, pos + HEADER, length));
            } catch (CorruptDataException e) {
                throw new CorruptSegmentException(file, "write-ahead log record at offset " + pos + " is malformed ("
                        + e.getMessage() + ")");
            }
            pos += HEADER + length;
        }
    }

    /** The payload length of an intact record at {@code pos}, or -1. */
    private static int intactRecordAt(byte[] data, int pos) {
        if (data.length - pos < HEADER) {
            return -1;
        }
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(data, pos, 8);
        if ((int) headerCrc.getValue() != getInt(data, pos + 8)) {
            return -1;
        }
        int length = getInt(data, pos);
        if (length < 0 || length > MAX_RECORD || (long) pos + HEADER + length > data.length) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(data, pos + HEADER, length);
        return (int) crc.getValue() == getInt(data, pos + 4) ? length : -1;
    }

    private static boolean intactRecordAfter(byte[] data, int from) {
        for (int p = from; p + HEADER <= data.length; p++) {
            if (intactRecordAt(data, p) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
