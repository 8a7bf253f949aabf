package dev.banyan.storage.internal.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.internal.aggregate.FieldStats;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.internal.part.BlockMeta;
import dev.banyan.storage.internal.part.PartReader;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.shard.PointMerger;
import dev.banyan.storage.internal.shard.SeriesDef;
import dev.banyan.storage.internal.shard.Shard;

/**
 * [S17] Evaluates one query over the shard snapshots of the segments it touches, fed in ascending
 * time order. Blocks wholly inside the range (and inside one bucket) feed aggregates from their
 * statistics without being decoded, unless two sources of the series hold the same timestamp and
 * need last-write-wins de-duplication first (sources that merely overlap in time are told apart
 * from those by their timestamps alone). Every path folds values through {@link FieldStats}, so
 * the answer does not depend on which path a point took.
 * <p>
 * Field lists only grow (new fields appended), so field {@code f} of a series means the same in
 * every source that has it; a source written before the field existed lacks it: absent.
 */
public final class QueryExecutor {

    private final Query query;
    private final long start;
    private final long end;
    /** The fields the answer has, in order: the requested ones, or every field of the measure. */
    private final List<FieldDef> projection;
    private final long[] ts = new long[PartWriter.BLOCK_POINTS];
    private long[][] columns = new long[1][PartWriter.BLOCK_POINTS];
    /** Keyed by the series itself, not its id: ids are hashes, and two segments may hold colliding series. */
    private final Map<SeriesRef, RawSeries> raw = new LinkedHashMap<>();
    private final Map<GroupKey, FieldStats[]> groups = new HashMap<>();
    /** The blocks of the series being read (reused: one list per query, not per series). */
    private final List<SourceBlock> blocks = new ArrayList<>();

    /**
     * One group of the answer: for {@link Query.Grouping#SERIES} the series' tag map, otherwise the
     * list of its values of the group tags, in their order (cheaper to hash than a map, and made a
     * map only for the answer's rows).
     */
    private record GroupKey(Object group, long bucket) {
    }

    /** A series' merged runs, each row holding the projected fields. */
    private static final class RawSeries {
        final SeriesDef def;
        final List<PointMerger.Run> runs = new ArrayList<>();

        RawSeries(SeriesDef def) {
            this.def = def;
        }
    }

    private record SourceBlock(PartReader part, BlockMeta block, int width) {
    }

    /**
     * @param measureFields every field the measure has been written with, in order (empty if
     *                      none); a requested field it lacks is absent from every point
     */
    public QueryExecutor(Query query, List<FieldDef> measureFields) {
        this.query = query;
        this.start = query.range().startMillis();
        this.end = query.range().endMillis();
        if (query.fields().isEmpty()) {
            projection = List.copyOf(measureFields);
        } else {
            List<FieldDef> wanted = new ArrayList<>();
            for (String name : query.fields()) {
                wanted.add(measureFields.stream().filter(f -> f.name().equals(name)).findFirst().orElse(FieldDef.ofDouble(name)));
            }
            projection = List.copyOf(wanted);
        }
    }

    public boolean matches(SeriesDef def) {
        if (!def.ref().measure().equals(query.measure())) {
            return false;
        }
        if (query.tagEquals().isEmpty() && query.matchers().isEmpty()) {
            return true;
        }
        for (Map.Entry<String, String> condition : query.tagEquals().entrySet()) {
            String value = def.ref().entity().get(condition.getKey());
            if (value == null) {
                value = def.ref().tags().get(condition.getKey());
            }
            if (!condition.getValue().equals(value)) {
                return false;
            }
        }
        if (!query.matchers().isEmpty()) {
            Map<String, String> tags = def.ref().allTags();
            for (TagMatcher matcher : query.matchers()) {
                if (!matcher.matches(tags)) {
                    return false;
                }
            }
        }
        return true;
    }

    public void accept(Shard.Snapshot snapshot) {
        if (projection.isEmpty()) {
            return;
        }
        List<PartReader> parts = partsInRange(snapshot.parts());
        // Series come in ascending id order, as each part holds them: every part is walked once, not searched per series.
        int[] hints = new int[parts.size()];
        int[] positions = new int[parts.size()];
        for (SeriesDef def : snapshot.series()) {
            int[] fieldIndexes = fieldIndexes(def);
            for (int p = 0; p < parts.size(); p++) {
                positions[p] = parts.get(p).position(def.ref().id(), hints[p]);
                hints[p] = PartReader.nextHint(positions[p]);
            }
            List<Shard.MemorySlice> memory = snapshot.memory().isEmpty() ? List.of()
                    : snapshot.memory().getOrDefault(def.ref().id(), List.of());
            if (query.isAggregate() && memory.isEmpty() && query.bucketMillis() == 0 && partsDisjoint(parts)
                    && aggregateWholeParts(def, fieldIndexes, parts, positions)) {
                continue;
            }
            blocks.clear();
            for (int p = 0; p < parts.size(); p++) {
                if (positions[p] < 0) {
                    continue;
                }
                PartReader part = parts.get(p);
                List<BlockMeta> partBlocks = part.blocksAt(positions[p]);
                if (partBlocks.isEmpty()) {
                    continue;
                }
                int width = part.definitionAt(positions[p]).fields().size();
                for (int b = firstEndingAtOrAfter(partBlocks, start); b < partBlocks.size() && partBlocks.get(b).minTs() < end; b++) {
                    blocks.add(new SourceBlock(part, partBlocks.get(b), width));
                }
            }
            if (blocks.isEmpty() && memory.isEmpty()) {
                continue;
            }
            if (query.isAggregate() && (!overlapping(blocks, memory) || !repeatsATimestamp(blocks, memory))) {
                aggregateFast(def, fieldIndexes, blocks, memory);
            } else {
                int width = def.fields().size();
                PointMerger.Run merged = mergedRun(def, blocks, memory);
                if (query.isAggregate()) {
                    aggregatePoints(def, fieldIndexes, width, merged.timestamps(), merged.values(), merged.size());
                } else {
                    raw.computeIfAbsent(def.ref(), k -> new RawSeries(def)).runs.add(project(merged, width, fieldIndexes));
                }
            }
        }
    }

    /** The first of a part's blocks (in time order) whose last point is at or after {@code t}. */
    private static int firstEndingAtOrAfter(List<BlockMeta> blocks, long t) {
        int lo = 0;
        int hi = blocks.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (blocks.get(mid).maxTs() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Series of a part share one field list instance: the indexes of the last list are reused. */
    private List<FieldDef> lastFields;
    private int[] lastIndexes;

    /** Per projected field, its index in {@code def}, or -1 when the series has never had it. */
    private int[] fieldIndexes(SeriesDef def) {
        if (def.fields() == lastFields) {
            return lastIndexes;
        }
        int[] indexes = new int[projection.size()];
        for (int w = 0; w < indexes.length; w++) {
            indexes[w] = -1;
            for (int f = 0; f < def.fields().size(); f++) {
                FieldDef field = def.fields().get(f);
                if (field.name().equals(projection.get(w).name()) && field.type() == projection.get(w).type()) {
                    indexes[w] = f;
                }
            }
        }
        lastFields = def.fields();
        lastIndexes = indexes;
        return indexes;
    }

    /**
     * When every part holding the series lies wholly inside the range, in ascending time order (so no
     * point needs de-duplicating), and has statistics, folds each part's per-series summary in one step.
     *
     * @return false, having done nothing, if that does not hold
     */
    private boolean aggregateWholeParts(SeriesDef def, int[] fieldIndexes, List<PartReader> parts, int[] positions) {
        long previousMax = Long.MIN_VALUE;
        int found = 0;
        for (int p = 0; p < parts.size(); p++) {
            BlockMeta summary = positions[p] < 0 ? null : parts.get(p).summaryAt(positions[p]);
            if (summary == null) {
                continue;
            }
            if (summary.stats() == null || summary.minTs() < start || summary.maxTs() >= end || summary.minTs() <= previousMax) {
                return false;
            }
            previousMax = summary.maxTs();
            if (found == summaries.length) {
                summaries = Arrays.copyOf(summaries, found * 2);
            }
            summaries[found++] = summary;
        }
        if (found > 0) {
            FieldStats[] acc = accumulator(def, start);
            for (int i = 0; i < found; i++) {
                addStats(acc, fieldIndexes, summaries[i].stats());
            }
        }
        return true;
    }

    /** The parts holding a point in the query's range, oldest first as given (last write wins by that order). */
    private List<PartReader> partsInRange(List<PartReader> parts) {
        List<PartReader> inRange = null;
        for (int p = 0; p < parts.size(); p++) {
            PartReader part = parts.get(p);
            boolean overlaps = part.maxTs() >= start && part.minTs() < end;
            if (!overlaps && inRange == null) {
                inRange = new ArrayList<>(parts.subList(0, p));
            } else if (overlaps && inRange != null) {
                inRange.add(part);
            }
        }
        return inRange == null ? parts : inRange;
    }

    private List<PartReader> disjointChecked;
    private boolean disjoint;

    /**
     * Whether the parts follow each other in time without overlapping (as in-order data leaves
     * them). Only then can a series' part summaries be folded whole; otherwise nearly every series
     * of the parts overlaps itself too, and trying costs a lookup per part and series for nothing.
     */
    private boolean partsDisjoint(List<PartReader> parts) {
        if (parts != disjointChecked) {
            disjointChecked = parts;
            disjoint = true;
            for (int p = 1; p < parts.size() && disjoint; p++) {
                disjoint = parts.get(p).minTs() > parts.get(p - 1).maxTs();
            }
        }
        return disjoint;
    }

    /** The part summaries of the series being folded (reused). */
    private BlockMeta[] summaries = new BlockMeta[4];

    private static void addStats(FieldStats[] acc, int[] fieldIndexes, FieldStats[] stats) {
        for (int w = 0; w < fieldIndexes.length; w++) {
            int f = fieldIndexes[w];
            if (f >= 0 && f < stats.length) {
                acc[w].add(stats[f]);
            }
        }
    }

    /**
     * Whether the sources overlap in time. Without memory slices, blocks that only ever step forward
     * (part by part, each part's in time order) do not; blocks that step back are taken to overlap
     * without sorting them, and {@link #repeatsATimestamp} settles whether that matters.
     */
    private static boolean overlapping(List<SourceBlock> blocks, List<Shard.MemorySlice> memory) {
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i).block().minTs() <= blocks.get(i - 1).block().maxTs()) {
                return true;
            }
        }
        if (memory.isEmpty()) {
            return false;
        }
        List<long[]> intervals = new ArrayList<>();
        for (SourceBlock b : blocks) {
            intervals.add(new long[] {b.block().minTs(), b.block().maxTs()});
        }
        for (Shard.MemorySlice m : memory) {
            intervals.add(new long[] {m.timestamps()[0], m.timestamps()[m.size() - 1]});
        }
        intervals.sort(Comparator.comparingLong(i -> i[0]));
        for (int i = 1; i < intervals.size(); i++) {
            if (intervals.get(i)[0] <= intervals.get(i - 1)[1]) {
                return true;
            }
        }
        return false;
    }

    /** The timestamps of the sources being checked for repeats (reused: one array per query, not per series). */
    private long[] seen = new long[PartWriter.BLOCK_POINTS];
    private static final long[][] NO_COLUMNS = new long[0][];

    /**
     * Whether two sources of the series hold the same timestamp. Sources that overlap in time but
     * never share a timestamp (out-of-order arrival split across flushes) need no last-write-wins
     * de-duplication: their statistics add up as they are. Decodes the timestamps of the blocks that
     * reach into the range, not their values; a repeat outside the range also counts (the answer
     * then takes the merging path, which is right either way).
     */
    private boolean repeatsATimestamp(List<SourceBlock> blocks, List<Shard.MemorySlice> memory) {
        int n = 0;
        for (SourceBlock source : blocks) {
            int count = source.block().count();
            if (n + count > seen.length) {
                seen = Arrays.copyOf(seen, Math.max(seen.length * 2, n + count));
            }
            source.part().decode(source.block(), ts, NO_COLUMNS, Long.MIN_VALUE, Long.MAX_VALUE);
            System.arraycopy(ts, 0, seen, n, count);
            n += count;
        }
        for (Shard.MemorySlice slice : memory) {
            if (n + slice.size() > seen.length) {
                seen = Arrays.copyOf(seen, Math.max(seen.length * 2, n + slice.size()));
            }
            System.arraycopy(slice.timestamps(), 0, seen, n, slice.size());
            n += slice.size();
        }
        Arrays.sort(seen, 0, n);
        for (int i = 1; i < n; i++) {
            if (seen[i] == seen[i - 1]) {
                return true;
            }
        }
        return false;
    }

    /** Decodes a block into {@link #columns} ({@code width} of them); returns the in-range rows as from << 32 | to. */
    private long decode(SourceBlock source) {
        if (columns.length != source.width()) {
            columns = new long[source.width()][PartWriter.BLOCK_POINTS];
        }
        return source.part().decode(source.block(), ts, columns, start, end);
    }

    /** All in-range points of the sources, last write winning, as rows of {@code def}'s fields. */
    private PointMerger.Run mergedRun(SeriesDef def, List<SourceBlock> blocks, List<Shard.MemorySlice> memory) {
        int width = def.fields().size();
        List<PointMerger.Run> runs = new ArrayList<>();
        PartReader current = null;
        List<long[]> pendingTs = new ArrayList<>();
        List<long[]> pendingVals = new ArrayList<>();
        for (SourceBlock source : blocks) {
            if (current != null && source.part() != current) {
                runs.add(concat(pendingTs, pendingVals, width));
                pendingTs.clear();
                pendingVals.clear();
            }
            current = source.part();
            long rows = decode(source);
            int from = (int) (rows >>> 32);
            int to = (int) rows;
            long[] v = new long[(to - from) * width];
            for (int f = 0; f < width; f++) {
                long[] column = f < source.width() ? columns[f] : null;
                long absent = def.fields().get(f).type().absentRaw();
                for (int i = from; i < to; i++) {
                    v[(i - from) * width + f] = column != null ? column[i] : absent;
                }
            }
            pendingTs.add(Arrays.copyOfRange(ts, from, to));
            pendingVals.add(v);
        }
        if (current != null) {
            runs.add(concat(pendingTs, pendingVals, width));
        }
        for (Shard.MemorySlice slice : memory) {
            runs.add(widen(new PointMerger.Run(slice.timestamps(), slice.values(), slice.size()), slice.def().fields().size(), def));
        }
        return PointMerger.merge(runs, width);
    }

    private static PointMerger.Run concat(List<long[]> tss, List<long[]> vals, int fields) {
        int n = tss.stream().mapToInt(a -> a.length).sum();
        long[] t = new long[n];
        long[] v = new long[n * fields];
        int at = 0;
        for (int i = 0; i < tss.size(); i++) {
            System.arraycopy(tss.get(i), 0, t, at, tss.get(i).length);
            System.arraycopy(vals.get(i), 0, v, at * fields, vals.get(i).length);
            at += tss.get(i).length;
        }
        return new PointMerger.Run(t, v, n);
    }

    private void aggregateFast(SeriesDef def, int[] fieldIndexes, List<SourceBlock> blocks, List<Shard.MemorySlice> memory) {
        FieldStats[] whole = query.bucketMillis() == 0 ? accumulator(def, start) : null;
        for (SourceBlock source : blocks) {
            BlockMeta block = source.block();
            boolean inside = block.minTs() >= start && block.maxTs() < end;
            if (inside && block.stats() != null && (whole != null || bucketOf(block.minTs()) == bucketOf(block.maxTs()))) {
                addStats(whole != null ? whole : accumulator(def, block.minTs()), fieldIndexes, block.stats());
                continue;
            }
            long rows = decode(source);
            aggregateColumns(def, fieldIndexes, source.width(), (int) (rows >>> 32), (int) rows, whole);
        }
        for (Shard.MemorySlice slice : memory) {
            aggregatePoints(def, fieldIndexes, slice.def().fields().size(), slice.timestamps(), slice.values(), slice.size());
        }
    }

    /** Aggregates decoded columns: in-range rows, bucket by bucket (found by binary search), field by field. */
    private void aggregateColumns(SeriesDef def, int[] fieldIndexes, int width, int from, int to, FieldStats[] whole) {
        while (from < to) {
            FieldStats[] acc;
            int runEnd;
            if (whole != null) {
                acc = whole;
                runEnd = to;
            } else {
                long bucket = bucketOf(ts[from]);
                acc = accumulator(def, ts[from]);
                runEnd = Math.min(to, PointMerger.lowerBound(ts, to, bucket + query.bucketMillis()));
            }
            for (int w = 0; w < fieldIndexes.length; w++) {
                int f = fieldIndexes[w];
                if (f < 0 || f >= width) {
                    continue;
                }
                acc[w].addAll(columns[f], from, runEnd);
            }
            from = runEnd;
        }
    }

    /** Aggregates sorted rows of {@code width} fields, skipping rows outside the range. */
    private void aggregatePoints(SeriesDef def, int[] fieldIndexes, int width, long[] timestamps, long[] values, int size) {
        FieldStats[] acc = null;
        long accBucket = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            long t = timestamps[i];
            if (t < start || t >= end) {
                continue;
            }
            long bucket = bucketOf(t);
            if (acc == null || bucket != accBucket) {
                acc = accumulator(def, t);
                accBucket = bucket;
            }
            for (int w = 0; w < fieldIndexes.length; w++) {
                int f = fieldIndexes[w];
                if (f >= 0 && f < width) {
                    acc[w].add(values[i * width + f]);
                }
            }
        }
    }

    /** Rows of {@code width} fields as rows of the projected fields (absent where a row lacks one). */
    private PointMerger.Run project(PointMerger.Run run, int width, int[] fieldIndexes) {
        int out = fieldIndexes.length;
        long[] values = new long[run.size() * out];
        for (int w = 0; w < out; w++) {
            int f = fieldIndexes[w];
            long absent = projection.get(w).type().absentRaw();
            for (int i = 0; i < run.size(); i++) {
                values[i * out + w] = f >= 0 && f < width ? run.values()[i * width + f] : absent;
            }
        }
        return new PointMerger.Run(run.timestamps(), values, run.size());
    }

    /** Rows of {@code have} fields (an older, shorter field list) as rows of {@code def}'s fields. */
    private static PointMerger.Run widen(PointMerger.Run run, int have, SeriesDef def) {
        int width = def.fields().size();
        if (have == width) {
            return run;
        }
        long[] values = new long[run.size() * width];
        for (int i = 0; i < run.size(); i++) {
            System.arraycopy(run.values(), i * have, values, i * width, have);
            for (int f = have; f < width; f++) {
                values[i * width + f] = def.fields().get(f).type().absentRaw();
            }
        }
        return new PointMerger.Run(run.timestamps(), values, run.size());
    }

    private long bucketOf(long t) {
        long bucket = query.bucketMillis();
        return bucket == 0 ? start : t - Math.floorMod(t, bucket);
    }

    /** The group of a series (see {@link GroupKey}); a series without a group tag has "" for it. */
    private Object groupOf(SeriesDef def) {
        if (query.grouping() == Query.Grouping.SERIES) {
            return def.ref().allTags();
        }
        List<String> tags = query.groupTags();
        String[] values = new String[tags.size()];
        for (int i = 0; i < values.length; i++) {
            String value = def.ref().entity().get(tags.get(i));
            values[i] = value != null ? value : def.ref().tags().getOrDefault(tags.get(i), "");
        }
        return Arrays.asList(values);
    }

    /** The answer's tags of a group. */
    @SuppressWarnings("unchecked")
    private Map<String, String> tagsOf(Object group) {
        if (group instanceof Map<?, ?> tags) {
            return (Map<String, String>) tags;
        }
        List<String> values = (List<String>) group;
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            tags.put(query.groupTags().get(i), values.get(i));
        }
        return tags;
    }

    private Object lastGroupOwnerTags;
    private SeriesDef lastGroupOwner;
    /** The accumulator of {@link #lastGroupOwner} in bucket {@link #lastBucket}: a series' blocks mostly share one. */
    private FieldStats[] lastAccumulator;
    private long lastBucket;

    private FieldStats[] accumulator(SeriesDef def, long t) {
        long bucket = bucketOf(t);
        if (def == lastGroupOwner && bucket == lastBucket && lastAccumulator != null) {
            return lastAccumulator;
        }
        if (def != lastGroupOwner) {
            lastGroupOwner = def;
            lastGroupOwnerTags = groupOf(def);
        }
        lastBucket = bucket;
        lastAccumulator = groups.computeIfAbsent(new GroupKey(lastGroupOwnerTags, bucket), k -> {
            FieldStats[] acc = new FieldStats[projection.size()];
            for (int w = 0; w < acc.length; w++) {
                acc[w] = new FieldStats(projection.get(w).type());
            }
            return acc;
        });
        return lastAccumulator;
    }

    /** Tag maps entry by entry (name, then value), in their iteration order; a prefix sorts first. */
    public static int compareTags(Map<String, String> a, Map<String, String> b) {
        var ia = a.entrySet().iterator();
        var ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<String, String> ea = ia.next();
            Map.Entry<String, String> eb = ib.next();
            int c = ea.getKey().compareTo(eb.getKey());
            if (c == 0) {
                c = ea.getValue().compareTo(eb.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    /** Rows by group tags, then bucket. */
    private static final Comparator<AggregateRow> ROW_ORDER = (a, b) -> {
        int c = compareTags(a.group(), b.group());
        return c != 0 ? c : Long.compare(a.bucketStart(), b.bucketStart());
    };

    public QueryResult result() {
        if (!query.isAggregate()) {
            return new QueryResult(rawResult(), List.of());
        }
        List<AggregateRow> rows = new ArrayList<>(groups.size());
        for (Map.Entry<GroupKey, FieldStats[]> e : groups.entrySet()) {
            FieldStats[] acc = e.getValue();
            if (!hasValues(acc)) {
                continue; // every point of the group lacks the projected fields
            }
            Map<String, Number> values = new LinkedHashMap<>();
            for (int w = 0; w < projection.size(); w++) {
                for (AggregateFunction fn : AggregateFunction.values()) {
                    if (query.functions().contains(fn)) {
                        values.put(fn.column(projection.get(w).name()), switch (fn) {
                            case COUNT -> acc[w].count();
                            case SUM -> acc[w].sum();
                            case MIN -> acc[w].min();
                            case MAX -> acc[w].max();
                            case AVG -> acc[w].avg();
                        });
                    }
                }
            }
            rows.add(new AggregateRow(tagsOf(e.getKey().group()), e.getKey().bucket(), Collections.unmodifiableMap(values)));
        }
        rows.sort(ROW_ORDER);
        return new QueryResult(List.of(), rows);
    }

    private static boolean hasValues(FieldStats[] acc) {
        for (FieldStats s : acc) {
            if (s.count() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Per series its merged rows, without the rows that lack every projected field. */
    private List<SeriesRows> rawResult() {
        int width = projection.size();
        List<SeriesRows> series = new ArrayList<>();
        for (RawSeries s : raw.values()) {
            PointMerger.Run all = PointMerger.merge(s.runs, width);
            int[] kept = new int[all.size()];
            int n = 0;
            for (int i = 0; i < all.size(); i++) {
                for (int w = 0; w < width; w++) {
                    if (all.values()[i * width + w] != projection.get(w).type().absentRaw()) {
                        kept[n++] = i;
                        break;
                    }
                }
            }
            if (n == 0) {
                continue;
            }
            long[] timestamps = new long[n];
            List<long[]> cols = new ArrayList<>();
            for (int w = 0; w < width; w++) {
                cols.add(new long[n]);
            }
            for (int k = 0; k < n; k++) {
                int i = kept[k];
                timestamps[k] = all.timestamps()[i];
                for (int w = 0; w < width; w++) {
                    cols.get(w)[k] = all.values()[i * width + w];
                }
            }
            series.add(new SeriesRows(s.def.ref().allTags(), timestamps, projection, cols));
        }
        series.sort((a, b) -> compareTags(a.tags(), b.tags()));
        return series;
    }
}
