package dev.banyan.storage.internal.part;

import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.internal.aggregate.FieldStats;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;
import dev.banyan.storage.internal.codec.TimestampCodec;
import dev.banyan.storage.internal.codec.ValueCodec;
import dev.banyan.storage.internal.shard.SeriesDef;

/**
 * An open part file: its series table and block index in memory, its blocks memory-mapped and
 * checked against their crc32c on every read. Any damage is reported with the file and offset.
 * <p>
 * Memory: the block index is kept as the bytes it is stored as (tens of bytes a block); queries
 * read it decoded ({@link BlockMeta} lists and per-series summaries), built on first use and held
 * through a soft reference, so the JVM drops it under memory pressure (it is rebuilt from the
 * bytes) instead of running out of heap. Series definitions equal to ones the shard already knows
 * are shared through the {@code known} lookup given to {@link #open}. Many parts of many series
 * thus cost little heap that cannot be reclaimed.
 */
public final class PartReader {

    private final Path file;
    private final long generation;
    private final MappedByteBuffer map;
    private final long size;
    /** Series of this part, ascending by id, with where their index entries start and how many blocks they have. */
    private long[] seriesIds;
    private SeriesDef[] defs;
    private int[] entryStart;
    private int[] blockCounts;
    /** The time range of every point in this part (epoch ms, inclusive); empty (MAX, MIN) for a part without blocks. */
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;
    /** The block index entries, as stored (format 1 or 2, see {@link BlockMeta#writeTo}). */
    private byte[] index;
    private int format;
    /** The decoded index, for queries; dropped by the GC under memory pressure. */
    private volatile SoftReference<Decoded> decoded = new SoftReference<>(null);

    /**
     * Per series, at its position in {@link #seriesIds}: its blocks, and all of them folded into one
     * (statistics only). Arrays, not maps keyed by id: a query walking many series in id order reads
     * them side by side (see {@link #position}).
     */
    private record Decoded(List<BlockMeta>[] blocks, BlockMeta[] summaries) {
    }
    /** Why this part is quarantined, or null while it is intact. */
    private volatile String damage;
    /** How much of the file is still there: blocks beyond it are never read (reading them would fault). */
    private volatile long presentBytes;
    /** Block bytes are copied out of the map into a per-thread buffer: no allocation per block. */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 << 10]);

    private PartReader(Path file, long generation, MappedByteBuffer map, long size) {
        this.file = file;
        this.generation = generation;
        this.map = map;
        this.size = size;
        this.presentBytes = size;
    }

    public static PartReader open(Path file, long generation) throws IOException {
        return open(file, generation, id -> null);
    }

    /**
     * @param known the shard's current definition of a series, or null: reused when equal to the
     *              part's, so a series defined in many parts is held once
     */
    public static PartReader open(Path file, long generation, LongFunction<SeriesDef> known) throws IOException {
        MappedByteBuffer map;
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            if (size < 4 + PartWriter.FOOTER) {
                throw new CorruptSegmentException(file, "part file truncated to " + size + " bytes");
            }
            if (size > PartWriter.MAX_PART_BYTES) {
                throw new CorruptSegmentException(file, "part file larger than " + PartWriter.MAX_PART_BYTES + " bytes");
            }
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        map.order(ByteOrder.LITTLE_ENDIAN);
        PartReader reader = new PartReader(file, generation, map, size);
        reader.load(known);
        return reader;
    }

    private void load(LongFunction<SeriesDef> known) {
        int footer = (int) size - PartWriter.FOOTER;
        format = map.getInt(0);
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
            seriesIds = new long[seriesCount];
            defs = new SeriesDef[seriesCount];
            Map<List<FieldDef>, List<FieldDef>> fieldLists = new HashMap<>();
            for (int i = 0; i < seriesCount; i++) {
                SeriesDef def = SeriesDef.readFrom(in);
                if (i > 0 && def.ref().id() <= seriesIds[i - 1]) {
                    throw new CorruptDataException("series table not in ascending id order at series " + i);
                }
                SeriesDef shared = known.apply(def.ref().id());
                // One list instance per distinct field list: queries reuse what they derive from it.
                defs[i] = shared != null && shared.sameAs(def) ? shared
                        : new SeriesDef(def.ref(), fieldLists.computeIfAbsent(def.fields(), f -> f));
                seriesIds[i] = def.ref().id();
            }
            index = Arrays.copyOfRange(meta, in.position(), meta.length);
            loadIndex(seriesOffset);
        } catch (CorruptDataException e) {
            throw new CorruptSegmentException(file, "part index malformed (" + e.getMessage() + ", index region starts at offset "
                    + seriesOffset + ")");
        }
    }

    /** Checks every index entry and notes where each series' entries start. */
    private void loadIndex(long seriesOffset) {
        int seriesCount = seriesIds.length;
        entryStart = new int[seriesCount];
        blockCounts = new int[seriesCount];
        ByteSource in = new ByteSource(index, 0, index.length);
        int blockCount = in.readLength(20);
        int previous = -1;
        for (int i = 0; i < blockCount; i++) {
            int entry = in.position();
            BlockMeta block = BlockMeta.readFrom(in, format, this::fieldsOf);
            int s = Arrays.binarySearch(seriesIds, block.seriesId());
            if (block.offset() < 4 || block.length() < 4 || block.offset() + block.length() > seriesOffset || block.count() <= 0
                    || block.count() > PartWriter.BLOCK_POINTS || block.maxTs() < block.minTs() || s < previous) {
                throw new CorruptDataException("block " + i + " of the index is inconsistent");
            }
            if (s != previous) { // a series' entries are contiguous: s only ever grows
                entryStart[s] = entry;
                previous = s;
            }
            blockCounts[s]++;
            minTs = Math.min(minTs, block.minTs());
            maxTs = Math.max(maxTs, block.maxTs());
        }
    }

    private Decoded decoded() {
        Decoded d = decoded.get();
        if (d == null) {
            @SuppressWarnings("unchecked")
            List<BlockMeta>[] blocks = new List[seriesIds.length];
            BlockMeta[] summaries = new BlockMeta[seriesIds.length];
            for (int s = 0; s < seriesIds.length; s++) {
                blocks[s] = readBlocks(seriesIds[s]);
            }
            // Summaries in a pass of their own: side by side in memory, as whole-part aggregates read them.
            for (int s = 0; s < seriesIds.length; s++) {
                summaries[s] = blocks[s].isEmpty() ? null : fold(blocks[s]);
            }
            d = new Decoded(blocks, summaries);
            decoded = new SoftReference<>(d);
        }
        return d;
    }

    /**
     * Where series {@code seriesId} is in this part, searching from {@code hint} (the position the
     * previous lookup returned, or 0): callers that look up series in ascending id order walk the
     * part once instead of searching it whole for every series.
     *
     * @return its position (for {@link #blocksAt}, {@link #summaryAt}, {@link #definitionAt}), or
     *         {@code -(insertion point) - 1} if the part does not hold it; either way, decoded with
     *         {@link #nextHint}, the hint for a later, larger id
     */
    public int position(long seriesId, int hint) {
        int n = seriesIds.length;
        if (hint < 0 || hint > n || hint < n && seriesIds[hint] > seriesId || hint > 0 && seriesIds[hint - 1] >= seriesId) {
            return Arrays.binarySearch(seriesIds, seriesId); // not ascending from the hint: search it all
        }
        // Gallop forward from the hint (every id before lo is smaller), then search the last step.
        int lo = hint;
        int hi = hint;
        int step = 1;
        while (hi < n && seriesIds[hi] < seriesId) {
            lo = hi + 1;
            hi = lo + step;
            step <<= 1;
        }
        return Arrays.binarySearch(seriesIds, lo, Math.min(hi + 1, n), seriesId);
    }

    /** The hint for the next {@link #position} call, from what the previous one returned. */
    public static int nextHint(int position) {
        return position >= 0 ? position + 1 : -position - 1;
    }

    /** The blocks of the series at {@code position}, in time order (possibly none). */
    public List<BlockMeta> blocksAt(int position) {
        return decoded().blocks()[position];
    }

    /** All blocks of the series at {@code position} as one (offset -1: statistics only), or null if it has none. */
    public BlockMeta summaryAt(int position) {
        return decoded().summaries()[position];
    }

    /** The definition this part holds for the series at {@code position}. */
    public SeriesDef definitionAt(int position) {
        return defs[position];
    }

    private List<FieldDef> fieldsOf(long seriesId) {
        int s = Arrays.binarySearch(seriesIds, seriesId);
        if (s < 0) {
            throw new CorruptDataException("a block of the index belongs to undefined series " + seriesId);
        }
        return defs[s].fields();
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

    public Path file() {
        return file;
    }

    /**
     * Checks the file still has the length it was opened with. Reading a memory-mapped file that
     * was cut short faults, and the JVM reports that as an {@link InternalError} at some later
     * point, not where the read was: so readers that must not fail that way check first.
     *
     * @throws CorruptSegmentException naming the file, its expected length as the offset damage starts at
     */
    public void checkLength() {
        long now;
        try {
            now = Files.size(file);
        } catch (IOException e) {
            throw new CorruptSegmentException(file, "part file unreadable (" + e + ")");
        }
        if (now != size) {
            presentBytes = Math.min(presentBytes, now);
            throw new CorruptSegmentException(file, "part file is " + now + " bytes long, it was written with " + size
                    + " (changed under the running server; data from offset " + Math.min(now, size) + " on is missing)");
        }
    }

    /** Marks the part as damaged (quarantined): it is no longer merged. */
    public void markDamaged(String why) {
        damage = why;
    }

    public boolean isDamaged() {
        return damage != null;
    }

    /** The earliest timestamp of this part (epoch ms), or Long.MAX_VALUE if it holds no point. */
    public long minTs() {
        return minTs;
    }

    /** The latest timestamp of this part (epoch ms), or Long.MIN_VALUE if it holds no point. */
    public long maxTs() {
        return maxTs;
    }

    public long generation() {
        return generation;
    }

    public long size() {
        return size;
    }

    /** The definition this part holds for a series (its fields: a prefix of newer ones), or null. */
    public SeriesDef definition(long seriesId) {
        int s = Arrays.binarySearch(seriesIds, seriesId);
        return s < 0 ? null : defs[s];
    }

    /** Every series definition of this part, ascending by id. */
    public List<SeriesDef> series() {
        return Arrays.asList(defs);
    }

    /** The ids of every series in any of {@code parts}, ascending, each once. */
    public static long[] unionOfSeriesIds(List<PartReader> parts) {
        long[] all = parts.stream().flatMapToLong(p -> Arrays.stream(p.seriesIds)).sorted().toArray();
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (n == 0 || all[i] != all[n - 1]) {
                all[n++] = all[i];
            }
        }
        return Arrays.copyOf(all, n);
    }

    /** The blocks of a series, decoded from the index now and not kept: for a single pass such as a merge. */
    public List<BlockMeta> readBlocks(long seriesId) {
        int s = Arrays.binarySearch(seriesIds, seriesId);
        if (s < 0 || blockCounts[s] == 0) {
            return List.of();
        }
        ByteSource in = new ByteSource(index, entryStart[s], index.length - entryStart[s]);
        List<BlockMeta> list = new ArrayList<>(blockCounts[s]);
        for (int i = 0; i < blockCounts[s]; i++) {
            list.add(BlockMeta.readFrom(in, format, this::fieldsOf));
        }
        return list;
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
        if (block.offset() + block.length() > presentBytes) {
            throw new CorruptSegmentException(file, "block at offset " + block.offset() + " is missing: the part file was cut to "
                    + presentBytes + " bytes under the running server");
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
