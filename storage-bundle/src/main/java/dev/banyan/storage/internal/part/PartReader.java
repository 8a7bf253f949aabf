package dev.banyan.storage.internal.part;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.internal.aggregate.FieldStats;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;
import dev.banyan.storage.internal.codec.TimestampCodec;
import dev.banyan.storage.internal.codec.ValueCodec;
import dev.banyan.storage.internal.shard.LongObjectMap;
import dev.banyan.storage.internal.shard.SeriesDef;

/**
 * An open part file: its series table and block index in memory, its blocks memory-mapped and
 * checked against their crc32c on every read. Any damage is reported with the file and offset.
 */
public final class PartReader {

    private final Path file;
    private final long generation;
    private final MappedByteBuffer map;
    private final long size;
    private final Map<Long, SeriesDef> series = new HashMap<>();
    /** The same definitions by primitive id: the per-query lookups do not box. */
    private final LongObjectMap<SeriesDef> definitions = new LongObjectMap<>();
    private final LongObjectMap<List<BlockMeta>> blocks = new LongObjectMap<>();
    /** Per series, all of its blocks in this part folded into one: whole-part aggregates in one step. */
    private final LongObjectMap<BlockMeta> summaries = new LongObjectMap<>();
    /** Block bytes are copied out of the map into a per-thread buffer: no allocation per block. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 << 10]);

    private PartReader(Path file, long generation, MappedByteBuffer map, long size) {
        this.file = file;
        this.generation = generation;
        this.map = map;
        this.size = size;
    }

    public static PartReader open(Path file, long generation) throws IOException {
        MappedByteBuffer map;
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            if (size < 4 + PartWriter.FOOTER) {
                throw new CorruptSegmentException(file, "part file truncated to " + size + " bytes");
            }
            if (size > Integer.MAX_VALUE) {
                throw new CorruptSegmentException(file, "part file larger than 2 GiB");
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        map.order(ByteOrder.LITTLE_ENDIAN);
        PartReader reader = new PartReader(file, generation, map, size);
        reader.load();
        return reader;
    }

    private void load() {
        int footer = (int) size - PartWriter.FOOTER;
        int format = map.getInt(0);
        if ((format != PartWriter.FORMAT_1 && format != PartWriter.FORMAT_2) || map.getInt(footer + 20) != PartWriter.FOOTER_MAGIC) {
            throw new CorruptSegmentException(file, "part file has no valid header or footer (offset 0 or " + footer + ")");
        }
        long seriesOffset = map.getLong(footer);
        long indexOffset = map.getLong(footer + 8);
        int expectedCrc = map.getInt(footer + 16);
        if (seriesOffset < 4 || indexOffset < seriesOffset || indexOffset > footer) {
            throw new CorruptSegmentException(file, "part footer at offset " + footer + " points outside the file");
        }
        byte[] meta = new byte[footer - (int) seriesOffset];
        map.get((int) seriesOffset, meta);
        CRC32C crc = new CRC32C();
        crc.update(meta);
        if ((int) crc.getValue() != expectedCrc) {
            throw new CorruptSegmentException(file, "part series table/index checksum mismatch (offset " + seriesOffset + ")");
        }
        try {
            ByteSource in = new ByteSource(meta, 0, meta.length);
            int seriesCount = in.readLength(9);
            Map<List<FieldDef>, List<FieldDef>> fieldLists = new HashMap<>();
            for (int i = 0; i < seriesCount; i++) {
                SeriesDef read = SeriesDef.readFrom(in);
                // One list instance per distinct field list: queries reuse what they derive from it.
                SeriesDef def = new SeriesDef(read.ref(), fieldLists.computeIfAbsent(read.fields(), f -> f));
                series.put(def.ref().id(), def);
                definitions.put(def.ref().id(), def);
            }
            int blockCount = in.readLength(20);
            BlockMeta.FieldsOf fieldsOf = id -> {
                SeriesDef def = definitions.get(id);
                if (def == null) {
                    throw new CorruptDataException("a block of the index belongs to undefined series " + id);
                }
                return def.fields();
            };
            for (int i = 0; i < blockCount; i++) {
                BlockMeta block = BlockMeta.readFrom(in, format, fieldsOf);
                if (block.offset() < 4 || block.length() < 4 || block.offset() + block.length() > seriesOffset || block.count() <= 0
                        || block.count() > PartWriter.BLOCK_POINTS || block.maxTs() < block.minTs()) {
                    throw new CorruptDataException("block " + i + " of the index is inconsistent");
                }
                List<BlockMeta> list = blocks.get(block.seriesId());
                if (list == null) {
                    list = new ArrayList<>();
                    blocks.put(block.seriesId(), list);
                }
                list.add(block);
            }
            for (List<BlockMeta> list : blocks.values()) {
                summaries.put(list.get(0).seriesId(), fold(list));
            }
        } catch (CorruptDataException e) {
            throw new CorruptSegmentException(file, "part index malformed (" + e.getMessage() + ", index region starts at offset "
                    + seriesOffset + ")");
        }
    }

    /** The blocks of one series folded into one: statistics only (null if a block has none). */
    private static BlockMeta fold(List<BlockMeta> list) {
        BlockMeta first = list.get(0);
        FieldStats[] stats = null;
        if (list.stream().allMatch(b -> b.stats() != null)) {
            stats = new FieldStats[first.stats().length];
            for (int f = 0; f < stats.length; f++) {
                stats[f] = new FieldStats(first.stats()[f].type());
                for (BlockMeta b : list) {
                    stats[f].add(b.stats()[f]);
                }
            }
        }
        int count = list.stream().mapToInt(BlockMeta::count).sum();
        return new BlockMeta(first.seriesId(), -1, 0, count, first.minTs(), list.get(list.size() - 1).maxTs(), stats);
    }

    /** All blocks of a series in this part as one (offset -1: statistics only), or null. */
    public BlockMeta summary(long seriesId) {
        return summaries.get(seriesId);
    }

    public Path file() {
        return file;
    }

    public long generation() {
        return generation;
    }

    public long size() {
        return size;
    }

    public Map<Long, SeriesDef> series() {
        return series;
    }

    /** The definition this part holds for a series (its fields: a prefix of newer ones), or null. */
    public SeriesDef definition(long seriesId) {
        return definitions.get(seriesId);
    }

    /** The blocks of a series, in time order. */
    public List<BlockMeta> blocks(long seriesId) {
        List<BlockMeta> list = blocks.get(seriesId);
        return list == null ? List.of() : list;
    }

    /** Decodes a whole block into {@code ts} and {@code columns[field]}; checks its crc32c first. */
    public void decode(BlockMeta block, long[] ts, long[][] columns) {
        decode(block, ts, columns, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * Decodes a block, its values only where the timestamp lies in [{@code startTs}, {@code endTs}).
     *
     * @return the in-range rows as {@code from << 32 | to}
     */
    public long decode(BlockMeta block, long[] ts, long[][] columns, long startTs, long endTs) {
        byte[] bytes = SCRATCH.get();
        if (bytes.length < block.length()) {
            bytes = new byte[block.length()];
            SCRATCH.set(bytes);
        }
        map.get((int) block.offset(), bytes, 0, block.length());
        int payload = block.length() - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, payload);
        int stored = (bytes[payload] & 0xFF) | (bytes[payload + 1] & 0xFF) << 8 | (bytes[payload + 2] & 0xFF) << 16
                | (bytes[payload + 3] & 0xFF) << 24;
        if ((int) crc.getValue() != stored) {
            throw new CorruptSegmentException(file, "block checksum mismatch at offset " + block.offset());
        }
        try {
            ByteSource in = new ByteSource(bytes, 0, payload);
            int count = block.count();
            TimestampCodec.decode(in, ts, count);
            int from = 0;
            while (from < count && ts[from] < startTs) {
                from++;
            }
            int to = count;
            while (to > from && ts[to - 1] >= endTs) {
                to--;
            }
            for (long[] column : columns) {
                ValueCodec.decode(in, column, count, from, to);
            }
            return (long) from << 32 | to;
        } catch (CorruptDataException e) {
            throw new CorruptSegmentException(file, "block at offset " + block.offset() + " is malformed (" + e.getMessage() + ")");
        }
    }
}
