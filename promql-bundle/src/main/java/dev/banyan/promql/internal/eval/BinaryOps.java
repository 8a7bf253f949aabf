package dev.banyan.promql.internal.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.banyan.promql.api.Labels;
import dev.banyan.promql.internal.parse.Ast.BinaryOp;
import dev.banyan.promql.internal.parse.Ast.Cardinality;
import dev.banyan.promql.internal.parse.Ast.VectorMatching;

/** Binary operators on one evaluation step, as Prometheus 2.42's engine.go evaluates them. */
final class BinaryOps {

    private BinaryOps() {
    }

    /** The value of {@code lhs op rhs}, and whether a comparison keeps the element. */
    record Result(double value, boolean keep) {
    }

    static Result apply(BinaryOp op, double lhs, double rhs) {
        return switch (op) {
            case ADD -> new Result(lhs + rhs, true);
            case SUB -> new Result(lhs - rhs, true);
            case MUL -> new Result(lhs * rhs, true);
            case DIV -> new Result(lhs / rhs, true);
            case POW -> new Result(Math.pow(lhs, rhs), true);
            case MOD -> new Result(lhs % rhs, true);
            case ATAN2 -> new Result(Math.atan2(lhs, rhs), true);
            case EQLC -> new Result(lhs, lhs == rhs);
            case NEQ -> new Result(lhs, lhs != rhs);
            case GTR -> new Result(lhs, lhs > rhs);
            case LSS -> new Result(lhs, lhs < rhs);
            case GTE -> new Result(lhs, lhs >= rhs);
            case LTE -> new Result(lhs, lhs <= rhs);
            default -> throw new IllegalStateException("not an arithmetic or comparison operator: " + op);
        };
    }

    /** scalar op scalar; comparisons have {@code bool} (the parser insists) and give 0 or 1. */
    static double scalars(BinaryOp op, double lhs, double rhs) {
        Result r = apply(op, lhs, rhs);
        return op.isComparison() ? (r.keep() ? 1 : 0) : r.value();
    }

    /** vector op scalar, or scalar op vector when {@code scalarOnLeft}. */
    static List<Sample> vectorScalar(BinaryOp op, List<Sample> vector, double scalar, boolean scalarOnLeft, boolean returnBool) {
        List<Sample> out = new ArrayList<>(vector.size());
        for (Sample s : vector) {
            double lv = scalarOnLeft ? scalar : s.value();
            double rv = scalarOnLeft ? s.value() : scalar;
            Result r = apply(op, lv, rv);
            double value = r.value();
            boolean keep = r.keep();
            if (op.isComparison() && scalarOnLeft) {
                value = rv; // a filter keeps the vector element's value, even on the right
            }
            if (returnBool) {
                value = keep ? 1 : 0;
                keep = true;
            }
            if (keep) {
                Labels labels = op.dropsMetricName() || returnBool ? LabelSets.dropMetricName(s.labels()) : s.labels();
                out.add(new Sample(labels, value, s.timeMs()));
            }
        }
        return out;
    }

    /** vector op vector for arithmetic and comparisons: one-to-one, many-to-one or one-to-many. */
    static List<Sample> vectors(BinaryOp op, List<Sample> lhs, List<Sample> rhs, VectorMatching matching, boolean returnBool) {
        boolean swapped = matching.card() == Cardinality.ONE_TO_MANY;
        if (swapped) {
            List<Sample> t = lhs;
            lhs = rhs;
            rhs = t;
        }
        Map<Labels, Sample> rightSigs = new HashMap<>();
        for (Sample rs : rhs) {
            Labels sig = LabelSets.signature(rs.labels(), matching.on(), matching.labels());
            Sample dupl = rightSigs.put(sig, rs);
            if (dupl != null) {
                throw Evaluator.executionError("found duplicate series for the match group " + sig + " on the "
                        + (swapped ? "left" : "right") + " hand-side of the operation: [" + rs.labels() + ", " + dupl.labels()
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        Map<Labels, Set<Labels>> matchedSigs = new HashMap<>();
        List<Sample> out = new ArrayList<>();
        for (Sample ls : lhs) {
            Labels sig = LabelSets.signature(ls.labels(), matching.on(), matching.labels());
            Sample rs = rightSigs.get(sig);
            if (rs == null) {
                continue;
            }
            double vl = swapped ? rs.value() : ls.value();
            double vr = swapped ? ls.value() : rs.value();
            Result r = apply(op, vl, vr);
            double value = r.value();
            if (returnBool) {
                value = r.keep() ? 1 : 0;
            } else if (!r.keep()) {
                continue;
            }
            Labels metric = resultMetric(ls.labels(), rs.labels(), op, matching);
            if (returnBool) {
                metric = LabelSets.dropMetricName(metric);
            }
            boolean exists = matchedSigs.containsKey(sig);
            if (matching.card() == Cardinality.ONE_TO_ONE) {
                if (exists) {
                    throw Evaluator.executionError(
                            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                matchedSigs.put(sig, null);
            } else {
                Set<Labels> inserted = matchedSigs.computeIfAbsent(sig, k -> new HashSet<>());
                if (!inserted.add(metric)) {
                    throw Evaluator.executionError("multiple matches for labels: grouping labels must ensure unique matches");
                }
            }
            out.add(new Sample(metric, value, ls.timeMs()));
        }
        return out;
    }

    /** The labels of a vector-vector result: Prometheus's resultMetric. */
    private static Labels resultMetric(Labels lhs, Labels rhs, BinaryOp op, VectorMatching matching) {
        Map<String, String> m = new TreeMap<>(lhs.toMap());
        if (op.dropsMetricName()) {
            m.remove(Labels.METRIC_NAME);
        }
        if (matching.card() == Cardinality.ONE_TO_ONE) {
            if (matching.on()) {
                m.keySet().retainAll(matching.labels());
            } else {
                m.keySet().removeAll(matching.labels());
            }
        }
        for (String name : matching.include()) {
            String v = rhs.get(name);
            if (v.isEmpty()) {
                m.remove(name);
            } else {
                m.put(name, v);
            }
        }
        return Labels.of(m);
    }

    /** {@code and}: the left elements whose signature occurs on the right. */
    static List<Sample> and(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
        if (lhs.isEmpty() || rhs.isEmpty()) {
            return List.of();
        }
        Set<Labels> rightSigs = signatures(rhs, matching);
        List<Sample> out = new ArrayList<>();
        for (Sample ls : lhs) {
            if (rightSigs.contains(LabelSets.signature(ls.labels(), matching.on(), matching.labels()))) {
                out.add(ls);
            }
        }
        return out;
    }

    /** {@code or}: all left elements, and the right ones whose signature the left lacks. */
    static List<Sample> or(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
        if (lhs.isEmpty()) {
            return rhs;
        }
        if (rhs.isEmpty()) {
            return lhs;
        }
        Set<Labels> leftSigs = signatures(lhs, matching);
        List<Sample> out = new ArrayList<>(lhs);
        for (Sample rs : rhs) {
            if (!leftSigs.contains(LabelSets.signature(rs.labels(), matching.on(), matching.labels()))) {
                out.add(rs);
            }
        }
        return out;
    }

    /** {@code unless}: the left elements whose signature does not occur on the right. */
    static List<Sample> unless(List<Sample> lhs, List<Sample> rhs, VectorMatching matching) {
        if (lhs.isEmpty() || rhs.isEmpty()) {
            return lhs;
        }
        Set<Labels> rightSigs = signatures(rhs, matching);
        List<Sample> out = new ArrayList<>();
        for (Sample ls : lhs) {
            if (!rightSigs.contains(LabelSets.signature(ls.labels(), matching.on(), matching.labels()))) {
                out.add(ls);
            }
        }
        return out;
    }

    private static Set<Labels> signatures(List<Sample> samples, VectorMatching matching) {
        Set<Labels> sigs = new HashSet<>();
        for (Sample s : samples) {
            sigs.add(LabelSets.signature(s.labels(), matching.on(), matching.labels()));
        }
        return sigs;
    }
}
