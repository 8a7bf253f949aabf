package dev.banyan.storage.internal.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.internal.aggregate.FieldStats;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.TimestampCodec;
import dev.banyan.storage.internal.codec.ValueCodec;
import dev.banyan.storage.internal.fs.DurableFiles;
import dev.banyan.storage.internal.shard.SeriesDef;

/**
 * Writes an immutable part file:
 * {@code [magic][blocks, each payload + crc32c][series table][block index][footer]}. The footer
 * holds the offsets of the series table and index and a crc32c over both. The file appears under
 * its final name only once complete and fsync'd. The magic is the part's format code:
 * {@link #FORMAT_1} ("BNYP", block statistics as inexact doubles, still read) or
 * {@link #FORMAT_2} ("BNP2", exact statistics, see {@link BlockMeta#writeTo}), which is written.
 * <p>
 * Streaming: series are given in ascending id order and each series' points in ascending time
 * order, one point or run at a time; only the current block (at most {@link #BLOCK_POINTS}
 * points), a write buffer and the series table and block index are held in memory, so a part of
 * any size is written in bounded memory.
 */
public final class PartWriter implements AutoCloseable {

    public static final int FORMAT_1 = 0x50594E42; // "BNYP"
    public static final int FORMAT_2 = 0x32504E42; // "BNP2"
    public static final int MAGIC = FORMAT_2;
    public static final int FOOTER_MAGIC = 0x46594E42; // "BNYF"
    public static final int FOOTER = 8 + 8 + 4 + 4;
    public static final int BLOCK_POINTS = 512;
    /**
     * The largest part file a reader opens (it is memory-mapped with int offsets). The writer
     * refuses to grow a part beyond it, so nothing is written that a restart could not read.
     */
    public static final long MAX_PART_BYTES = Integer.MAX_VALUE;
    /**
     * Blocks also end at every hour boundary (epoch-aligned) once they hold this many points, so
     * hour-aligned ranges and hourly buckets are answered from block statistics; sparse series are
     * not cut, to keep the index small.
     */
    static final int MIN_POINTS_BEFORE_HOUR_CUT = 64;
    static final long HOUR_MILLIS = 3_600_000L;
    private static final int WRITE_BUFFER = 1 << 20;

    /** The sorted, de-duplicated points of one series. */
    public record SeriesData(SeriesDef def, long[] timestamps, long[] values, int size) {
    }

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    /** File bytes not yet handed to the channel. */
    private final ByteSink pending = new ByteSink(WRITE_BUFFER + (64 << 10));
    private long flushedBytes;
    private final ByteSink index = new ByteSink(64 << 10);
    private int blockCount;
    private final List<SeriesDef> series = new ArrayList<>();
    private final CRC32C crc = new CRC32C();
    private final long[] scratch = new long[BLOCK_POINTS];
    private final long[] blockTs = new long[BLOCK_POINTS];
    private long[][] blockColumns = new long[0][];
    private int blockSize;
    private SeriesDef current;
    private int[] scaleHints;
    private long lastTimestamp;
    private boolean done;

    private PartWriter(Path target, Path temp, FileChannel channel) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        pending.writeInt(MAGIC);
    }

    /** Starts a part that {@link #finish()} publishes as {@code target}; {@link #close()} before that discards it. */
    public static PartWriter create(Path target) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        return new PartWriter(target, temp, DurableFiles.createFile(temp));
    }

    /** Writes a whole part from in-memory series (any order of series) and publishes it. @return its size in bytes */
    public static long write(Path target, List<SeriesData> data) throws IOException {
        List<SeriesData> ordered = new ArrayList<>(data);
        ordered.sort(Comparator.comparingLong(s -> s.def().ref().id()));
        try (PartWriter writer = create(target)) {
            for (SeriesData s : ordered) {
                writer.startSeries(s.def());
                writer.add(s.timestamps(), s.values(), 0, s.size());
            }
            return writer.finish();
        }
    }

    public Path target() {
        return target;
    }

    /** Begins the next series; ids must ascend. */
    public void startSeries(SeriesDef def) throws IOException {
        endSeries();
        if (!series.isEmpty() && def.ref().id() <= series.get(series.size() - 1).ref().id()) {
            throw new IllegalStateException("series must be written in ascending id order: " + def.ref() + " after "
                    + series.get(series.size() - 1).ref());
        }
        current = def;
        series.add(def);
        int fields = def.fields().size();
        if (blockColumns.length != fields) {
            blockColumns = new long[fields][BLOCK_POINTS];
        }
        scaleHints = new int[fields];
        Arrays.fill(scaleHints, -1);
        lastTimestamp = Long.MIN_VALUE;
    }

    /** Adds one point of the current series; {@code values} holds its fields from {@code offset}. */
    public void add(long timestamp, long[] values, int offset) throws IOException {
        if (timestamp <= lastTimestamp) {
            throw new IllegalStateException("points of " + current.ref() + " must ascend: " + timestamp + " after " + lastTimestamp);
        }
        if (blockSize == BLOCK_POINTS || (blockSize >= MIN_POINTS_BEFORE_HOUR_CUT
                && Math.floorDiv(timestamp, HOUR_MILLIS) != Math.floorDiv(blockTs[0], HOUR_MILLIS))) {
            writeBlock();
        }
        blockTs[blockSize] = timestamp;
        for (int f = 0; f < blockColumns.length; f++) {
            blockColumns[f][blockSize] = values[offset + f];
        }
        blockSize++;
        lastTimestamp = timestamp;
    }

    /** Adds points {@code [from, to)} of row-major {@code values} (one row per timestamp). */
    public void add(long[] timestamps, long[] values, int from, int to) throws IOException {
        int fields = blockColumns.length;
        for (int i = from; i < to; i++) {
            add(timestamps[i], values, i * fields);
        }
    }

    private void endSeries() throws IOException {
        if (blockSize > 0) {
            writeBlock();
        }
        current = null;
    }

    private void writeBlock() throws IOException {
        int count = blockSize;
        int fields = blockColumns.length;
        int start = pending.size();
        long offset = flushedBytes + start;
        TimestampCodec.encode(pending, blockTs, count, scratch);
        FieldStats[] stats = new FieldStats[fields];
        for (int f = 0; f < fields; f++) {
            long[] column = blockColumns[f];
            FieldType type = current.fields().get(f).type();
            stats[f] = new FieldStats(type);
            stats[f].addAll(column, 0, count);
            if (type == FieldType.DOUBLE) {
                scaleHints[f] = ValueCodec.encodeDoubles(pending, column, count, scratch, scaleHints[f]);
            } else {
                ValueCodec.encodeLongs(pending, column, count, scratch);
            }
        }
        crc.reset();
        crc.update(pending.array(), start, pending.size() - start);
        pending.writeInt((int) crc.getValue());
        new BlockMeta(current.ref().id(), offset, pending.size() - start, count, blockTs[0], blockTs[count - 1], stats)
                .writeTo(index);
        blockCount++;
        blockSize = 0;
        if (pending.size() >= WRITE_BUFFER) {
            drain();
        }
    }

    /** Hands the buffered bytes to the file; refuses to grow the part beyond what a reader can open. */
    private void drain() throws IOException {
        if (flushedBytes + pending.size() > MAX_PART_BYTES) {
            throw new IOException("part " + target + " would exceed the " + MAX_PART_BYTES + "-byte part size limit");
        }
        ByteBuffer buffer = ByteBuffer.wrap(pending.array(), 0, pending.size());
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        flushedBytes += pending.size();
        pending.clear();
    }

    /** Writes the series table, index and footer, fsyncs and renames the part into place. @return its size */
    public long finish() throws IOException {
        endSeries();
        drain();
        long seriesOffset = flushedBytes;
        ByteSink meta = new ByteSink(64 << 10);
        meta.writeVarLong(series.size());
        for (SeriesDef def : series) {
            def.writeTo(meta);
        }
        long indexOffset = seriesOffset + meta.size();
        meta.writeVarLong(blockCount);
        meta.writeBytes(index.array(), 0, index.size());
        crc.reset();
        crc.update(meta.array(), 0, meta.size());
        meta.writeLong(seriesOffset);
        meta.writeLong(indexOffset);
        meta.writeInt((int) crc.getValue());
        meta.writeInt(FOOTER_MAGIC);
        pending.writeBytes(meta.array(), 0, meta.size());
        drain();
        channel.force(true);
        channel.close();
        DurableFiles.moveAtomically(temp, target);
        done = true;
        return flushedBytes;
    }

    /** Discards an unfinished part (its temp file); nothing after {@link #finish()}. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
