package dev.banyan.storage.internal.part;

import java.util.List;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.internal.aggregate.FieldStats;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;

/**
 * Where a block of one series lies in its part, and what it holds: enough to skip it, or to answer
 * count/sum/min/max without decoding it.
 *
 * @param count the points (rows) of the block
 * @param stats per field of the series definition, its statistics; null when the part predates
 *              exact statistics (format 1): such blocks are decoded to aggregate them
 */
public record BlockMeta(long seriesId, long offset, int length, int count, long minTs, long maxTs, FieldStats[] stats) {

    /**
     * One block index entry: {@code [series id 8][offset varint][length varint][count varint][min ts 8]
     * [max ts - min ts varint]}, then per field: format 1 three raw doubles (sum, min, max; not
     * exact, ignored), format 2 {@link FieldStats#writeTo}.
     */
    void writeTo(ByteSink out) {
        out.writeLong(seriesId);
        out.writeVarLong(offset);
        out.writeVarLong(length);
        out.writeVarLong(count);
        out.writeLong(minTs);
        out.writeVarLong(maxTs - minTs);
        for (FieldStats s : stats) {
            s.writeTo(out);
        }
    }

    /** Reads an entry written by {@link #writeTo} ({@code format} 2) or by format 1. */
    static BlockMeta readFrom(ByteSource in, int format, FieldsOf fieldsOf) {
        long id = in.readLong();
        long offset = in.readVarLong();
        int length = (int) in.readVarLong();
        int count = (int) in.readVarLong();
        long minTs = in.readLong();
        long maxTs = minTs + in.readVarLong();
        List<FieldDef> fields = fieldsOf.fields(id);
        FieldStats[] stats = null;
        if (format == PartWriter.FORMAT_1) {
            in.skip(fields.size() * 3 * Long.BYTES);
        } else {
            stats = new FieldStats[fields.size()];
            for (int f = 0; f < stats.length; f++) {
                stats[f] = FieldStats.readFrom(in, fields.get(f).type());
            }
        }
        return new BlockMeta(id, offset, length, count, minTs, maxTs, stats);
    }

    /** The fields of a series of the part being read; throws if the part does not define it. */
    interface FieldsOf {
        List<FieldDef> fields(long seriesId);
    }
}
