package dev.banyan.storage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;

/**
 * The aggregate policy of docs/SEMANTICS.md written the obvious way, over a plain model of the
 * points (last write wins per series and timestamp), with BigDecimal and BigInteger arithmetic.
 * Tests compare the engine's answers on every path with this.
 */
final class ReferenceAggregates {

    /** Every point written, last write winning: series, then timestamp, then raw values per field. */
    final Map<SeriesRef, NavigableMap<Long, long[]>> points = new LinkedHashMap<>();
    final List<FieldDef> fields;

    ReferenceAggregates(List<FieldDef> fields) {
        this.fields = fields;
    }

    void write(SeriesRef series, long timestamp, long[] raw) {
        points.computeIfAbsent(series, k -> new TreeMap<>()).put(timestamp, raw.clone());
    }

    List<AggregateRow> aggregate(Query query) {
        List<String> names = query.fields().isEmpty() ? fields.stream().map(FieldDef::name).toList() : query.fields();
        Map<Map<String, String>, Map<Long, List<List<Long>>>> groups = new LinkedHashMap<>();
        for (Map.Entry<SeriesRef, NavigableMap<Long, long[]>> series : points.entrySet()) {
            if (!matches(series.getKey(), query)) {
                continue;
            }
            Map<String, String> group = groupOf(series.getKey(), query);
            for (Map.Entry<Long, long[]> p : series.getValue().subMap(query.range().startMillis(), query.range().endMillis()).entrySet()) {
                long t = p.getKey();
                long bucket = query.bucketMillis() == 0 ? query.range().startMillis() : t - Math.floorMod(t, query.bucketMillis());
                List<List<Long>> perField = groups.computeIfAbsent(group, k -> new TreeMap<>()).computeIfAbsent(bucket, k -> {
                    List<List<Long>> lists = new ArrayList<>();
                    names.forEach(n -> lists.add(new ArrayList<>()));
                    return lists;
                });
                for (int w = 0; w < names.size(); w++) {
                    int f = index(names.get(w));
                    if (f >= 0 && p.getValue()[f] != fields.get(f).type().absentRaw()) {
                        perField.get(w).add(p.getValue()[f]);
                    }
                }
            }
        }
        List<AggregateRow> rows = new ArrayList<>();
        for (var group : groups.entrySet()) {
            for (var bucket : group.getValue().entrySet()) {
                Map<String, Number> values = new LinkedHashMap<>();
                boolean any = false;
                for (int w = 0; w < names.size(); w++) {
                    int f = index(names.get(w));
                    FieldType type = f < 0 ? FieldType.DOUBLE : fields.get(f).type();
                    List<Long> raw = bucket.getValue().get(w);
                    if (type == FieldType.DOUBLE) {
                        raw.removeIf(r -> r == FieldType.STALE_MARKER_BITS);
                    }
                    any |= !raw.isEmpty();
                    for (AggregateFunction fn : AggregateFunction.values()) {
                        if (query.functions().contains(fn)) {
                            values.put(fn.column(names.get(w)), type == FieldType.LONG ? longs(fn, raw) : doubles(fn, raw));
                        }
                    }
                }
                if (any) {
                    rows.add(new AggregateRow(group.getKey(), bucket.getKey(), values));
                }
            }
        }
        rows.sort(Comparator.comparing((AggregateRow r) -> r.group().toString()).thenComparingLong(AggregateRow::bucketStart));
        return rows;
    }

    private int index(String name) {
        for (int f = 0; f < fields.size(); f++) {
            if (fields.get(f).name().equals(name)) {
                return f;
            }
        }
        return -1;
    }

    static boolean matches(SeriesRef series, Query query) {
        return series.measure().equals(query.measure())
                && query.tagEquals().entrySet().stream().allMatch(e -> e.getValue().equals(series.allTags().get(e.getKey())));
    }

    private static Map<String, String> groupOf(SeriesRef series, Query query) {
        if (query.grouping() == Query.Grouping.SERIES) {
            return series.allTags();
        }
        Map<String, String> key = new LinkedHashMap<>();
        query.groupTags().forEach(t -> key.put(t, series.allTags().getOrDefault(t, "")));
        return key;
    }

    private static Number longs(AggregateFunction fn, List<Long> values) {
        if (fn == AggregateFunction.COUNT) {
            return (long) values.size();
        }
        if (values.isEmpty()) {
            return null;
        }
        BigInteger sum = values.stream().map(BigInteger::valueOf).reduce(BigInteger.ZERO, BigInteger::add);
        return switch (fn) {
            case SUM -> sum.bitLength() < 64 ? (Number) sum.longValue() : sum;
            case MIN -> values.stream().min(Long::compare).orElseThrow();
            case MAX -> values.stream().max(Long::compare).orElseThrow();
            case AVG -> sum.doubleValue() / values.size();
            default -> throw new AssertionError(fn);
        };
    }

    private static Number doubles(AggregateFunction fn, List<Long> raw) {
        if (fn == AggregateFunction.COUNT) {
            return (long) raw.size();
        }
        if (raw.isEmpty()) {
            return null;
        }
        List<Double> values = raw.stream().map(Double::longBitsToDouble).toList();
        List<Double> ordered = values.stream().filter(v -> !Double.isNaN(v)).sorted(Double::compare).toList();
        return switch (fn) {
            case MIN -> ordered.isEmpty() ? Double.NaN : ordered.get(0);
            case MAX -> ordered.isEmpty() ? Double.NaN : ordered.get(ordered.size() - 1);
            case SUM -> sum(values);
            case AVG -> {
                double sum = sum(values);
                boolean infiniteInput = values.stream().anyMatch(v -> Double.isInfinite(v));
                if (Double.isInfinite(sum) && !infiniteInput) {
                    yield new BigDecimal(exact(values).toBigInteger()).divide(BigDecimal.valueOf(values.size()), MathContext.DECIMAL128)
                            .doubleValue();
                }
                yield sum / values.size();
            }
            default -> throw new AssertionError(fn);
        };
    }

    /** IEEE-754 rules for NaN, infinities and -0.0; otherwise the exact sum rounded once. */
    private static double sum(List<Double> values) {
        boolean pos = values.contains(Double.POSITIVE_INFINITY);
        boolean neg = values.contains(Double.NEGATIVE_INFINITY);
        if (values.stream().anyMatch(v -> Double.isNaN(v)) || (pos && neg)) {
            return Double.NaN;
        }
        if (pos || neg) {
            return pos ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        }
        if (values.stream().allMatch(v -> Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0))) {
            return -0.0;
        }
        BigDecimal exact = exact(values);
        return exact.signum() == 0 ? 0.0 : exact.doubleValue();
    }

    private static BigDecimal exact(List<Double> values) {
        return values.stream().map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
