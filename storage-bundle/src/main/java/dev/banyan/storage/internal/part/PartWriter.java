package dev.banyan.storage.internal.part;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 */
public final class PartWriter {

    public static final int FORMAT_1 = 0x50594E42; // "BNYP"
    public static final int FORMAT_2 = 0x32504E42; // "BNP2"
    public static final int MAGIC = FORMAT_2;
    public static final int FOOTER_MAGIC = 0x46594E42; // "BNYF"
    public static final int FOOTER = 8 + 8 + 4 + 4;
    public static final int BLOCK_POINTS = 512;
    /**
     * Blocks also end at every hour boundary (epoch-aligned) once they hold this many points, so
     * hour-aligned ranges and hourly buckets are answered from block statistics; sparse series are
     * not cut, to keep the index small.
     */
    static final int MIN_POINTS_BEFORE_HOUR_CUT = 64;
    static final long HOUR_MILLIS = 3_600_000L;

    /** The sorted, de-duplicated points of one series. */
    public record SeriesData(SeriesDef def, long[] timestamps, long[] values, int size) {
    }

    private PartWriter() {
    }

    /** How many points, from {@code from}, go into the next block. */
    static int blockLength(long[] timestamps, int from, int size) {
        int limit = Math.min(BLOCK_POINTS, size - from);
        long hour = Math.floorDiv(timestamps[from], HOUR_MILLIS);
        for (int n = MIN_POINTS_BEFORE_HOUR_CUT; n < limit; n++) {
            if (Math.floorDiv(timestamps[from + n], HOUR_MILLIS) != hour) {
                return n;
            }
        }
        return limit;
    }

    public static long write(Path target, List<SeriesData> series) throws IOException {
        List<SeriesData> ordered = new ArrayList<>(series);
        ordered.sort(Comparator.comparingLong(s -> s.def().ref().id()));
        ByteSink out = new ByteSink(1 << 20);
        out.writeInt(MAGIC);
        List<BlockMeta> index = new ArrayList<>();
        long[] scratch = new long[BLOCK_POINTS];
        long[] column = new long[BLOCK_POINTS];
        CRC32C crc = new CRC32C();
        for (SeriesData s : ordered) {
            int fields = s.def().fields().size();
            int[] scaleHints = new int[fields];
            java.util.Arrays.fill(scaleHints, -1);
            for (int from = 0; from < s.size();) {
                int count = blockLength(s.timestamps(), from, s.size());
                int start = out.size();
                long[] ts = java.util.Arrays.copyOfRange(s.timestamps(), from, from + count);
                TimestampCodec.encode(out, ts, count, scratch);
                FieldStats[] stats = new FieldStats[fields];
                for (int f = 0; f < fields; f++) {
                    FieldType type = s.def().fields().get(f).type();
                    for (int i = 0; i < count; i++) {
                        column[i] = s.values()[(from + i) * fields + f];
                    }
                    stats[f] = new FieldStats(type);
                    stats[f].addAll(column, 0, count);
                    if (type == FieldType.DOUBLE) {
                        scaleHints[f] = ValueCodec.encodeDoubles(out, column, count, scratch, scaleHints[f]);
                    } else {
                        ValueCodec.encodeLongs(out, column, count, scratch);
                    }
                }
                crc.reset();
                crc.update(out.array(), start, out.size() - start);
                out.writeInt((int) crc.getValue());
                index.add(new BlockMeta(s.def().ref().id(), start, out.size() - start, count, ts[0], ts[count - 1], stats));
                from += count;
            }
        }
        long seriesOffset = out.size();
        out.writeVarLong(ordered.size());
        for (SeriesData s : ordered) {
            s.def().writeTo(out);
        }
        long indexOffset = out.size();
        out.writeVarLong(index.size());
        for (BlockMeta b : index) {
            b.writeTo(out);
        }
        crc.reset();
        crc.update(out.array(), (int) seriesOffset, out.size() - (int) seriesOffset);
        out.writeLong(seriesOffset);
        out.writeLong(indexOffset);
        out.writeInt((int) crc.getValue());
        out.writeInt(FOOTER_MAGIC);

        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try (FileChannel channel = DurableFiles.createFile(temp)) {
            ByteBuffer buffer = ByteBuffer.wrap(out.array(), 0, out.size());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        DurableFiles.moveAtomically(temp, target);
        return out.size();
    }
}
