package dev.banyan.promql.internal.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.internal.parse.Ast.Aggregate;
import dev.banyan.promql.internal.parse.Ast.AggregateOp;

/** Aggregation operators on one evaluation step, as Prometheus 2.42's {@code aggregation()} computes them. */
final class Aggregations {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private Aggregations() {
    }

    /** The running state of one group. */
    private static final class Group {
        final Labels labels;
        double value;
        double mean;
        long count = 1;
        final List<Sample> heap = new ArrayList<>();
        final List<Double> values = new ArrayList<>();

        Group(Labels labels, double value) {
            this.labels = labels;
            this.value = value;
            this.mean = value;
        }
    }

    /**
     * Each series' group key, computed once per aggregation rather than once per step (the grouping
     * does not change between steps, the series seldom do); equal keys are one instance, so finding a
     * sample's group compares references, not label arrays.
     */
    static final class GroupKeys {
        private final Map<Labels, Labels> bySeries = new HashMap<>();
        private final Map<Labels, Labels> instances = new HashMap<>();

        Labels of(Aggregate agg, List<String> grouping, Labels series) {
            Labels key = bySeries.get(series);
            if (key == null) {
                key = instances.computeIfAbsent(groupKey(agg, grouping, series), k -> k);
                bySeries.put(series, key);
            }
            return key;
        }
    }

    private static Labels groupKey(Aggregate agg, List<String> grouping, Labels metric) {
        return agg.without() ? LabelSets.without(metric, withName(grouping)) : LabelSets.keep(metric, grouping);
    }

    /**
     * @param param the step's scalar parameter (topk, bottomk, quantile), ignored otherwise
     * @param label the label of count_values, null otherwise
     * @param keys  the group keys of the series met so far, kept across the steps of one aggregation
     */
    static List<Sample> aggregate(Aggregate agg, List<Sample> vector, double param, String label, long timeMs,
            GroupKeys keys) {
        AggregateOp op = agg.op();
        List<String> grouping = new ArrayList<>(agg.grouping());
        long k = 1;
        if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
            if (Double.isNaN(param) || param >= 0x1p63 || param < -0x1p63) {
                throw Evaluator.executionError("Scalar value " + Evaluator.format(param) + " overflows int64");
            }
            k = (long) param;
            if (k < 1) {
                return List.of();
            }
        }
        if (op == AggregateOp.COUNT_VALUES) {
            if (!LABEL_NAME.matcher(label).matches()) {
                throw Evaluator.executionError("invalid label name \"" + label + "\"");
            }
            if (!agg.without()) {
                grouping.add(label);
            }
        }
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (Sample s : vector) {
            Labels metric = s.labels();
            Labels key;
            if (op == AggregateOp.COUNT_VALUES) {
                metric = LabelSets.with(metric, label, QueryResult.formatValue(s.value()));
                key = groupKey(agg, grouping, metric); // labels that include the value: not worth keeping
            } else {
                key = keys.of(agg, grouping, metric);
            }
            Group group = groups.get(key);
            if (group == null) {
                Labels groupLabels = agg.without() ? LabelSets.without(metric, withName(grouping))
                        : grouping.isEmpty() ? Labels.EMPTY : LabelSets.keep(metric, grouping);
                group = new Group(groupLabels, s.value());
                switch (op) {
                    case STDDEV, STDVAR -> group.value = 0;
                    case TOPK, BOTTOMK -> group.heap.add(new Sample(s.labels(), s.value(), timeMs));
                    case QUANTILE -> group.values.add(s.value());
                    case GROUP -> group.value = 1;
                    default -> {
                    }
                }
                groups.put(key, group);
                continue;
            }
            double v = s.value();
            switch (op) {
                case SUM -> group.value += v;
                case AVG -> {
                    group.count++;
                    if (Double.isInfinite(group.mean)) {
                        if (Double.isInfinite(v) && (group.mean > 0) == (v > 0)) {
                            break;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            break;
                        }
                    }
                    group.mean += v / group.count - group.mean / group.count;
                }
                case GROUP -> {
                }
                case MAX -> {
                    if (group.value < v || Double.isNaN(group.value)) {
                        group.value = v;
                    }
                }
                case MIN -> {
                    if (group.value > v || Double.isNaN(group.value)) {
                        group.value = v;
                    }
                }
                case COUNT, COUNT_VALUES -> group.count++;
                case STDDEV, STDVAR -> {
                    group.count++;
                    double delta = v - group.mean;
                    group.mean += delta / group.count;
                    group.value += delta * (v - group.mean);
                }
                case TOPK -> offer(group.heap, new Sample(s.labels(), v, timeMs), k, false);
                case BOTTOMK -> offer(group.heap, new Sample(s.labels(), v, timeMs), k, true);
                case QUANTILE -> group.values.add(v);
                default -> throw new IllegalStateException("unexpected aggregation " + op);
            }
        }
        List<Sample> out = new ArrayList<>();
        for (Group g : groups.values()) {
            double value = switch (op) {
                case AVG -> g.mean;
                case COUNT, COUNT_VALUES -> g.count;
                case STDVAR -> g.value / g.count;
                case STDDEV -> Math.sqrt(g.value / g.count);
                case QUANTILE -> Quantiles.quantile(param, g.values.stream().mapToDouble(Double::doubleValue).toArray());
                default -> g.value;
            };
            if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) {
                for (Sample s : g.heap) {
                    out.add(new Sample(s.labels(), s.value(), timeMs));
                }
                continue;
            }
            out.add(new Sample(g.labels, value, timeMs));
        }
        return out;
    }

    private static List<String> withName(List<String> grouping) {
        List<String> names = new ArrayList<>(grouping);
        names.add(Labels.METRIC_NAME);
        return names;
    }

    /**
     * Offers a sample to a bounded heap exactly as Prometheus does with Go's container/heap, so that
     * ties at the k-th place select the same series.
     */
    private static void offer(List<Sample> heap, Sample s, long k, boolean bottom) {
        double top = heap.get(0).value();
        boolean better = bottom ? top > s.value() : top < s.value();
        if (heap.size() < k || better || Double.isNaN(top)) {
            if (heap.size() == k) {
                if (k == 1) {
                    heap.set(0, s);
                    return;
                }
                // heap.Pop: swap root and last, sift down, remove last
                int n = heap.size() - 1;
                swap(heap, 0, n);
                down(heap, 0, n, bottom);
                heap.remove(n);
            }
            heap.add(s);
            up(heap, heap.size() - 1, bottom);
        }
    }

    private static boolean less(List<Sample> h, int i, int j, boolean bottom) {
        double a = h.get(i).value();
        if (Double.isNaN(a)) {
            return true;
        }
        return bottom ? a > h.get(j).value() : a < h.get(j).value();
    }

    private static void up(List<Sample> h, int j, boolean bottom) {
        while (true) {
            int i = (j - 1) / 2;
            if (i == j || !less(h, j, i, bottom)) {
                break;
            }
            swap(h, i, j);
            j = i;
        }
    }

    private static void down(List<Sample> h, int i0, int n, boolean bottom) {
        int i = i0;
        while (true) {
            int j1 = 2 * i + 1;
            if (j1 >= n || j1 < 0) {
                break;
            }
            int j = j1;
            int j2 = j1 + 1;
            if (j2 < n && less(h, j2, j1, bottom)) {
                j = j2;
            }
            if (!less(h, j, i, bottom)) {
                break;
            }
            swap(h, i, j);
            i = j;
        }
    }

    private static void swap(List<Sample> h, int i, int j) {
        Sample t = h.get(i);
        h.set(i, h.get(j));
        h.set(j, t);
    }
}
