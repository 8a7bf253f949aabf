package dev.banyan.storage.internal.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.internal.part.BlockMeta;
import dev.banyan.storage.internal.part.PartReader;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.shard.PointMerger;
import dev.banyan.storage.internal.shard.SeriesDef;
import dev.banyan.storage.internal.shard.Shard;

/**
 * [S17] Evaluates one query over the shard snapshots of the segments it touches, fed in ascending
 * time order. Blocks wholly inside the range (and inside one bucket) feed aggregates from their
 * statistics without being decoded, unless sources of the series overlap in time and need
 * last-write-wins de-duplication first.
 */
public final class QueryExecutor {

    private final Query query;
    private final long start;
    private final long end;
    private final long[] ts = new long[PartWriter.BLOCK_POINTS];
    /** Keyed by the series itself, not its id: ids are hashes, and two segments may hold colliding series. */
    private final Map<SeriesRef, RawSeries> raw = new LinkedHashMap<>();
    private final Map<GroupKey, Accumulator> groups = new HashMap<>();
    private List<String> projection;

    private record GroupKey(Map<String, String> tags, long bucket) {
    }

    private static final class RawSeries {
        final SeriesDef def;
        final int[] fieldIndexes;
        final List<PointMerger.Run> runs = new ArrayList<>();

        RawSeries(SeriesDef def, int[] fieldIndexes) {
            this.def = def;
            this.fieldIndexes = fieldIndexes;
        }
    }

    /** count, sum, min, max per projected field. */
    private static final class Accumulator {
        final long[] count;
        final double[] sum;
        final double[] min;
        final double[] max;

        Accumulator(int fields) {
            count = new long[fields];
            sum = new double[fields];
            min = new double[fields];
            max = new double[fields];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }
    }

    public QueryExecutor(Query query) {
        this.query = query;
        this.start = query.range().startMillis();
        this.end = query.range().endMillis();
    }

    public boolean matches(SeriesDef def) {
        if (!def.ref().measure().equals(query.measure())) {
            return false;
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
        return true;
    }

    public void accept(Shard.Snapshot snapshot) {
        for (SeriesDef def : snapshot.series()) {
            int[] fieldIndexes = fieldIndexes(def);
            if (fieldIndexes == null) {
                continue;
            }
            List<Shard.MemorySlice> memory = snapshot.memory().getOrDefault(def.ref().id(), List.of());
            if (query.isAggregate() && memory.isEmpty() && query.bucketMillis() == 0 && aggregateWholeParts(def, fieldIndexes, snapshot.parts())) {
                continue;
            }
            List<SourceBlock> blocks = new ArrayList<>();
            for (PartReader part : snapshot.parts()) {
                for (BlockMeta block : part.blocks(def.ref().id())) {
                    if (block.maxTs() >= start && block.minTs() < end) {
                        blocks.add(new SourceBlock(part, block));
                    }
                }
            }
            if (blocks.isEmpty() && memory.isEmpty()) {
                continue;
            }
            if (query.isAggregate() && !overlapping(blocks, memory)) {
                aggregateFast(def, fieldIndexes, blocks, memory);
            } else {
                PointMerger.Run merged = mergedRun(def, blocks, memory);
                if (query.isAggregate()) {
                    aggregatePoints(def, fieldIndexes, merged.timestamps(), merged.values(), 0, merged.size());
                } else {
                    raw.computeIfAbsent(def.ref(), k -> new RawSeries(def, fieldIndexes)).runs.add(merged);
                }
            }
        }
    }

    private record SourceBlock(PartReader part, BlockMeta block) {
    }

    /**
     * When every part holding the series lies wholly inside the range, in ascending time order (so no
     * point needs de-duplicating), folds each part's per-series summary in one step.
     *
     * @return false, having done nothing, if that does not hold
     */
    private boolean aggregateWholeParts(SeriesDef def, int[] fieldIndexes, List<PartReader> parts) {
        long previousMax = Long.MIN_VALUE;
        boolean any = false;
        for (PartReader part : parts) {
            BlockMeta summary = part.summary(def.ref().id());
            if (summary == null) {
                continue;
            }
            if (summary.minTs() < start || summary.maxTs() >= end || summary.minTs() <= previousMax) {
                return false;
            }
            previousMax = summary.maxTs();
            any = true;
        }
        if (!any) {
            return true;
        }
        Accumulator acc = accumulator(def, start);
        for (PartReader part : parts) {
            BlockMeta summary = part.summary(def.ref().id());
            if (summary == null) {
                continue;
            }
            for (int w = 0; w < fieldIndexes.length; w++) {
                int f = fieldIndexes[w];
                acc.count[w] += summary.count();
                acc.sum[w] += summary.sums()[f];
                acc.min[w] = Math.min(acc.min[w], summary.mins()[f]);
                acc.max[w] = Math.max(acc.max[w], summary.maxs()[f]);
            }
        }
        return true;
    }

    private int[] fieldIndexes(SeriesDef def) {
        List<FieldDef> fields = def.fields();
        if (query.fields().isEmpty()) {
            if (projection == null) {
                projection = fields.stream().map(FieldDef::name).toList();
            }
        }
        List<String> wanted = query.fields().isEmpty() ? projection : query.fields();
        int[] indexes = new int[wanted.size()];
        for (int w = 0; w < wanted.size(); w++) {
            indexes[w] = -1;
            for (int f = 0; f < fields.size(); f++) {
                if (fields.get(f).name().equals(wanted.get(w))) {
                    indexes[w] = f;
                }
            }
            if (indexes[w] < 0) {
                return null; // the series does not carry a requested field
            }
        }
        return indexes;
    }

    private static boolean overlapping(List<SourceBlock> blocks, List<Shard.MemorySlice> memory) {
        if (memory.isEmpty()) {
            // Blocks come part by part, each part's in time order: overlap shows as a step back in time.
            boolean ascending = true;
            for (int i = 1; i < blocks.size() && ascending; i++) {
                ascending = blocks.get(i).block().minTs() > blocks.get(i - 1).block().maxTs();
            }
            if (ascending) {
                return false;
            }
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

    private PointMerger.Run mergedRun(SeriesDef def, List<SourceBlock> blocks, List<Shard.MemorySlice> memory) {
        int fields = def.fields().size();
        List<PointMerger.Run> runs = new ArrayList<>();
        long[][] columns = new long[fields][PartWriter.BLOCK_POINTS];
        PartReader current = null;
        List<long[]> pendingTs = new ArrayList<>();
        List<long[]> pendingVals = new ArrayList<>();
        for (SourceBlock source : blocks) {
            if (current != null && source.part() != current) {
                runs.add(concat(pendingTs, pendingVals, fields));
                pendingTs.clear();
                pendingVals.clear();
            }
            current = source.part();
            source.part().decode(source.block(), ts, columns);
            int from = 0;
            int to = source.block().count();
            while (from < to && ts[from] < start) {
                from++;
            }
            while (to > from && ts[to - 1] >= end) {
                to--;
            }
            long[] t = java.util.Arrays.copyOfRange(ts, from, to);
            long[] v = new long[(to - from) * fields];
            for (int i = from; i < to; i++) {
                for (int f = 0; f < fields; f++) {
                    v[(i - from) * fields + f] = columns[f][i];
                }
            }
            pendingTs.add(t);
            pendingVals.add(v);
        }
        if (current != null) {
            runs.add(concat(pendingTs, pendingVals, fields));
        }
        for (Shard.MemorySlice slice : memory) {
            runs.add(new PointMerger.Run(slice.timestamps(), slice.values(), slice.size()));
        }
        return PointMerger.merge(runs, fields);
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
        int fields = def.fields().size();
        boolean[] isDouble = new boolean[fields];
        for (int f = 0; f < fields; f++) {
            isDouble[f] = def.fields().get(f).type() == FieldType.DOUBLE;
        }
        Accumulator whole = query.bucketMillis() == 0 ? accumulator(def, start) : null;
        for (SourceBlock source : blocks) {
            BlockMeta block = source.block();
            boolean inside = block.minTs() >= start && block.maxTs() < end;
            if (inside && (whole != null || bucketOf(block.minTs()) == bucketOf(block.maxTs()))) {
                Accumulator acc = whole != null ? whole : accumulator(def, block.minTs());
                for (int w = 0; w < fieldIndexes.length; w++) {
                    int f = fieldIndexes[w];
                    acc.count[w] += block.count();
                    acc.sum[w] += block.sums()[f];
                    acc.min[w] = Math.min(acc.min[w], block.mins()[f]);
                    acc.max[w] = Math.max(acc.max[w], block.maxs()[f]);
                }
                continue;
            }
            if (columns == null || columns.length < fields) {
                columns = new long[fields][PartWriter.BLOCK_POINTS];
            }
            long rows = source.part().decode(block, ts, columns, start, end);
            aggregateColumns(def, fieldIndexes, isDouble, ts, columns, (int) (rows >>> 32), (int) rows, whole);
        }
        for (Shard.MemorySlice slice : memory) {
            aggregatePoints(def, fieldIndexes, slice.timestamps(), slice.values(), 0, slice.size());
        }
    }

    private long[][] columns;

    /** Aggregates decoded columns: the in-range rows are found by binary search, then summed field by field. */
    private void aggregateColumns(SeriesDef def, int[] fieldIndexes, boolean[] isDouble, long[] timestamps, long[][] cols,
            int from, int to, Accumulator whole) {
        while (from < to) {
            Accumulator acc;
            int runEnd;
            if (whole != null) {
                acc = whole;
                runEnd = to;
            } else {
                long bucket = bucketOf(timestamps[from]);
                acc = accumulator(def, timestamps[from]);
                runEnd = Math.min(to, PointMerger.lowerBound(timestamps, to, bucket + query.bucketMillis()));
            }
            for (int w = 0; w < fieldIndexes.length; w++) {
                int f = fieldIndexes[w];
                long[] column = cols[f];
                double sum = 0;
                double min = acc.min[w];
                double max = acc.max[w];
                if (isDouble[f]) {
                    for (int i = from; i < runEnd; i++) {
                        double v = Double.longBitsToDouble(column[i]);
                        sum += v;
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                } else {
                    for (int i = from; i < runEnd; i++) {
                        double v = column[i];
                        sum += v;
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                acc.count[w] += runEnd - from;
                acc.sum[w] += sum;
                acc.min[w] = min;
                acc.max[w] = max;
            }
            from = runEnd;
        }
    }


    private void aggregatePoints(SeriesDef def, int[] fieldIndexes, long[] timestamps, long[] values, int from, int to) {
        int fields = def.fields().size();
        boolean[] isDouble = new boolean[fields];
        for (int f = 0; f < fields; f++) {
            isDouble[f] = def.fields().get(f).type() == FieldType.DOUBLE;
        }
        Accumulator acc = null;
        long accBucket = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
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
                long rawValue = values[i * fields + f];
                double v = isDouble[f] ? Double.longBitsToDouble(rawValue) : rawValue;
                acc.count[w]++;
                acc.sum[w] += v;
                if (v < acc.min[w]) {
                    acc.min[w] = v;
                }
                if (v > acc.max[w]) {
                    acc.max[w] = v;
                }
            }
        }
    }

    private long bucketOf(long t) {
        long bucket = query.bucketMillis();
        return bucket == 0 ? start : t - Math.floorMod(t, bucket);
    }

    private Map<String, String> groupOf(SeriesDef def) {
        if (query.grouping() == Query.Grouping.SERIES) {
            return def.ref().allTags();
        }
        Map<String, String> key = new LinkedHashMap<>();
        for (String tag : query.groupTags()) {
            String value = def.ref().entity().get(tag);
            key.put(tag, value != null ? value : def.ref().tags().getOrDefault(tag, ""));
        }
        return key;
    }

    private Map<String, String> lastGroupOwnerTags;
    private SeriesDef lastGroupOwner;

    private Accumulator accumulator(SeriesDef def, long t) {
        if (def != lastGroupOwner) {
            lastGroupOwner = def;
            lastGroupOwnerTags = groupOf(def);
        }
        int width = query.fields().isEmpty() ? projection.size() : query.fields().size();
        return groups.computeIfAbsent(new GroupKey(lastGroupOwnerTags, bucketOf(t)), k -> new Accumulator(width));
    }

    /** Tag maps entry by entry (name, then value), in their iteration order; a prefix sorts first. */
    private static int compareTags(Map<String, String> a, Map<String, String> b) {
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
            List<SeriesRows> series = new ArrayList<>();
            for (RawSeries s : raw.values()) {
                int fields = s.def.fields().size();
                PointMerger.Run all = PointMerger.merge(s.runs, fields);
                List<FieldDef> projected = new ArrayList<>();
                List<long[]> columns = new ArrayList<>();
                for (int f : s.fieldIndexes) {
                    projected.add(s.def.fields().get(f));
                    long[] column = new long[all.size()];
                    for (int i = 0; i < all.size(); i++) {
                        column[i] = all.values()[i * fields + f];
                    }
                    columns.add(column);
                }
                series.add(new SeriesRows(s.def.ref().allTags(),
                        java.util.Arrays.copyOf(all.timestamps(), all.size()), projected, columns));
            }
            series.sort((a, b) -> compareTags(a.tags(), b.tags()));
            return new QueryResult(series, List.of());
        }
        List<String> fieldNames = query.fields().isEmpty() ? (projection == null ? List.of() : projection) : query.fields();
        List<AggregateRow> rows = new ArrayList<>(groups.size());
        for (Map.Entry<GroupKey, Accumulator> e : groups.entrySet()) {
            Accumulator acc = e.getValue();
            Map<String, Double> values = new LinkedHashMap<>();
            for (int w = 0; w < fieldNames.size(); w++) {
                for (AggregateFunction fn : AggregateFunction.values()) {
                    if (!query.functions().contains(fn)) {
                        continue;
                    }
                    double v = switch (fn) {
                        case COUNT -> acc.count[w];
                        case SUM -> acc.sum[w];
                        case MIN -> acc.min[w];
                        case MAX -> acc.max[w];
                        case AVG -> acc.count[w] == 0 ? Double.NaN : acc.sum[w] / acc.count[w];
                    };
                    values.put(fn.column(fieldNames.get(w)), v);
                }
            }
            rows.add(new AggregateRow(e.getKey().tags(), e.getKey().bucket(), values));
        }
        rows.sort(ROW_ORDER);
        return new QueryResult(List.of(), rows);
    }
}
