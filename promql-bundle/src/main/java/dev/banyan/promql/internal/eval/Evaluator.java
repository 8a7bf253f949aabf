package dev.banyan.promql.internal.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;
import dev.banyan.promql.api.WindowStats;
import dev.banyan.promql.internal.parse.Ast;
import dev.banyan.promql.internal.parse.Ast.Aggregate;
import dev.banyan.promql.internal.parse.Ast.Binary;
import dev.banyan.promql.internal.parse.Ast.Call;
import dev.banyan.promql.internal.parse.Ast.Expr;
import dev.banyan.promql.internal.parse.Ast.MatrixSelector;
import dev.banyan.promql.internal.parse.Ast.NumberLiteral;
import dev.banyan.promql.internal.parse.Ast.Paren;
import dev.banyan.promql.internal.parse.Ast.StringLiteral;
import dev.banyan.promql.internal.parse.Ast.Unary;
import dev.banyan.promql.internal.parse.Ast.VectorSelector;

/**
 * Evaluates an expression at every step of a query at once, node by node, the way Prometheus
 * 2.42's engine does: each node yields one value per step (a scalar, or an instant vector), range
 * functions walk each series over all steps, and the checks Prometheus makes per step ("vector
 * cannot contain metrics with the same labelset") or over the whole range are made at the same
 * places, so that the same queries fail.
 */
public final class Evaluator {

    /** The value of a node at every step. */
    sealed interface Value permits Scalars, Vectors, Str {
    }

    record Scalars(double[] values) implements Value {
    }

    record Vectors(List<List<Sample>> steps) implements Value {
    }

    record Str(String value) implements Value {
    }

    /** A selected series with its samples, staleness markers included. */
    private record Loaded(Labels labels, long[] t, double[] v) {
    }

    private final SeriesSource source;
    private final QueryLimits limits;
    private final long[] steps;
    private final long deadlineNanos;
    private final Map<VectorSelector, List<Loaded>> selected = new IdentityHashMap<>();
    private long samples;

    /**
     * @param steps the evaluation times in ms, ascending (one for an instant query)
     */
    public Evaluator(SeriesSource source, QueryLimits limits, long[] steps) {
        this.limits = limits;
        this.steps = steps;
        this.deadlineNanos = System.nanoTime() + limits.timeoutMs() * 1_000_000L;
        this.source = source.checking(() -> checkDeadline("series fetch"));
    }

    static QueryException executionError(String message) {
        return new QueryException(QueryException.ErrorType.EXECUTION, message);
    }

    /** Go's %v of a float, for messages. */
    static String format(double v) {
        return dev.banyan.promql.api.QueryResult.formatValue(v);
    }

    private void checkDeadline(String phase) {
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new QueryException(QueryException.ErrorType.TIMEOUT, "query timed out in " + phase);
        }
    }

    private void countSamples(long n) {
        samples += n;
        if (samples > limits.maxSamples()) {
            throw executionError("query processing would load too many samples into memory in query execution (limit "
                    + limits.maxSamples() + " samples)");
        }
    }

    // ---- results ----

    /** Evaluates an instant vector or scalar expression: one value per step. */
    public List<Series> evalSteps(Expr expr) {
        Value value = eval(expr);
        if (value instanceof Scalars s) {
            countSamples(steps.length);
            return List.of(new Series(Labels.EMPTY, steps.clone(), s.values().clone()));
        }
        List<List<Sample>> perStep = ((Vectors) value).steps();
        Map<Labels, long[]> times = new LinkedHashMap<>();
        Map<Labels, double[]> values = new HashMap<>();
        Map<Labels, Integer> counts = new HashMap<>();
        for (int i = 0; i < steps.length; i++) {
            countSamples(perStep.get(i).size());
            for (Sample s : perStep.get(i)) {
                long[] t = times.computeIfAbsent(s.labels(), k -> new long[steps.length]);
                double[] v = values.computeIfAbsent(s.labels(), k -> new double[steps.length]);
                int n = counts.merge(s.labels(), 1, Integer::sum);
                t[n - 1] = steps[i];
                v[n - 1] = s.value();
            }
        }
        List<Series> out = new ArrayList<>(times.size());
        times.forEach((labels, t) -> {
            int n = counts.get(labels);
            out.add(new Series(labels, Arrays.copyOf(t, n), Arrays.copyOf(values.get(labels), n)));
        });
        return out;
    }

    /** The scalar of an instant query. */
    public double evalScalar(Expr expr) {
        return ((Scalars) eval(expr)).values()[0];
    }

    /** The string of an instant query. */
    public String evalString(Expr expr) {
        return ((Str) eval(expr)).value();
    }

    /** A range vector selector in an instant query: the raw samples of each series in the window. */
    public List<Series> evalMatrix(Expr expr) {
        MatrixSelector ms = (MatrixSelector) Ast.unwrap(expr);
        List<Series> out = new ArrayList<>();
        for (Loaded l : select(ms.selector(), ms.rangeMs())) {
            long refTime = steps[0] - ms.selector().offsetMs();
            int[] window = window(l.t(), refTime - ms.rangeMs(), refTime);
            List<Long> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            for (int i = window[0]; i < window[1]; i++) {
                if (!Series.isStale(l.v()[i])) {
                    ts.add(l.t()[i]);
                    vs.add(l.v()[i]);
                }
            }
            if (!ts.isEmpty()) {
                out.add(new Series(l.labels(), ts.stream().mapToLong(Long::longValue).toArray(),
                        vs.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return out;
    }

    // ---- node evaluation ----

    private Value eval(Expr expr) {
        checkDeadline("evaluation");
        if (expr instanceof NumberLiteral n) {
            double[] v = new double[steps.length];
            Arrays.fill(v, n.value());
            return new Scalars(v);
        }
        if (expr instanceof StringLiteral s) {
            return new Str(s.value());
        }
        if (expr instanceof Paren p) {
            return eval(p.expr());
        }
        if (expr instanceof VectorSelector vs) {
            return evalSelector(vs, false);
        }
        if (expr instanceof Unary u) {
            return evalUnary(u);
        }
        if (expr instanceof Binary b) {
            return evalBinary(b);
        }
        if (expr instanceof Aggregate a) {
            return evalAggregate(a);
        }
        if (expr instanceof Call c) {
            return evalCall(c);
        }
        throw new QueryException(QueryException.ErrorType.BAD_DATA, "cannot evaluate " + expr.type() + " here");
    }

    /** The series a selector selects, loaded once per query over every window it is evaluated in. */
    private List<Loaded> select(VectorSelector vs, long windowMs) {
        List<Loaded> loaded = selected.get(vs);
        if (loaded != null) {
            return loaded;
        }
        long minT = steps[0] - vs.offsetMs() - windowMs;
        long maxT = steps[steps.length - 1] - vs.offsetMs();
        List<Series> found = source.select(vs.matchers(), minT, maxT);
        loaded = new ArrayList<>(found.size());
        for (Series s : found) {
            countSamples(s.size());
            loaded.add(new Loaded(s.labels(), s.timestamps(), s.values()));
        }
        loaded.sort(Comparator.comparing(Loaded::labels));
        selected.put(vs, loaded);
        return loaded;
    }

    /** Indices {@code [from, to)} of the samples with {@code minT <= t <= maxT}. */
    private static int[] window(long[] t, long minT, long maxT) {
        int from = lowerBound(t, minT);
        int to = lowerBound(t, maxT + 1);
        return new int[] {from, to};
    }

    private static int lowerBound(long[] t, long key) {
        int lo = 0;
        int hi = t.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (t[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * An instant vector selector: at each step the newest sample no older than the lookback delta,
     * unless it is a staleness marker. {@code sampleTime}: the samples carry their own timestamp
     * (for {@code timestamp()}) instead of the step's.
     */
    private Vectors evalSelector(VectorSelector vs, boolean sampleTime) {
        List<Loaded> series = select(vs, limits.lookbackMs());
        List<List<Sample>> out = newSteps();
        for (Loaded l : series) {
            for (int i = 0; i < steps.length; i++) {
                long refTime = steps[i] - vs.offsetMs();
                int idx = lowerBound(l.t(), refTime + 1) - 1;
                if (idx < 0 || l.t()[idx] < refTime - limits.lookbackMs() || Series.isStale(l.v()[idx])) {
                    continue;
                }
                out.get(i).add(new Sample(l.labels(), l.v()[idx], sampleTime ? l.t()[idx] : steps[i]));
            }
        }
        return new Vectors(out);
    }

    private List<List<Sample>> newSteps() {
        List<List<Sample>> out = new ArrayList<>(steps.length);
        for (int i = 0; i < steps.length; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    private Value evalUnary(Unary u) {
        Value v = eval(u.expr());
        if (!u.negate()) {
            return v;
        }
        if (v instanceof Scalars s) {
            return new Scalars(Arrays.stream(s.values()).map(x -> -x).toArray());
        }
        List<List<Sample>> out = newSteps();
        Map<Labels, Labels> renamed = new HashMap<>();
        List<List<Sample>> in = ((Vectors) v).steps();
        for (int i = 0; i < steps.length; i++) {
            for (Sample s : in.get(i)) {
                Labels dropped = LabelSets.dropMetricName(s.labels());
                renamed.put(s.labels(), dropped);
                out.get(i).add(new Sample(dropped, -s.value(), s.timeMs()));
            }
        }
        requireUniqueOverRange(renamed);
        return new Vectors(out);
    }

    /** Prometheus checks the whole result matrix of a unary minus or range function for equal label sets. */
    private static void requireUniqueOverRange(Map<Labels, Labels> renamed) {
        Set<Labels> seen = new HashSet<>();
        for (Labels out : renamed.values()) {
            if (!seen.add(out)) {
                throw executionError("vector cannot contain metrics with the same labelset");
            }
        }
    }

    private static List<Sample> requireUniqueAtStep(List<Sample> vector) {
        if (vector.size() > 1) {
            Set<Labels> seen = new HashSet<>();
            for (Sample s : vector) {
                if (!seen.add(s.labels())) {
                    throw executionError("vector cannot contain metrics with the same labelset");
                }
            }
        }
        return vector;
    }

    private Value evalBinary(Binary b) {
        Value lhs = eval(b.lhs());
        Value rhs = eval(b.rhs());
        if (lhs instanceof Scalars l && rhs instanceof Scalars r) {
            double[] out = new double[steps.length];
            for (int i = 0; i < steps.length; i++) {
                out[i] = BinaryOps.scalars(b.op(), l.values()[i], r.values()[i]);
            }
            return new Scalars(out);
        }
        List<List<Sample>> out = newSteps();
        for (int i = 0; i < steps.length; i++) {
            List<Sample> result;
            if (lhs instanceof Vectors l && rhs instanceof Vectors r) {
                List<Sample> lv = l.steps().get(i);
                List<Sample> rv = r.steps().get(i);
                result = switch (b.op()) {
                    case AND -> BinaryOps.and(lv, rv, b.matching());
                    case OR -> BinaryOps.or(lv, rv, b.matching());
                    case UNLESS -> BinaryOps.unless(lv, rv, b.matching());
                    default -> BinaryOps.vectors(b.op(), lv, rv, b.matching(), b.returnBool());
                };
            } else if (lhs instanceof Vectors l) {
                result = BinaryOps.vectorScalar(b.op(), l.steps().get(i), ((Scalars) rhs).values()[i], false, b.returnBool());
            } else {
                result = BinaryOps.vectorScalar(b.op(), ((Vectors) rhs).steps().get(i), ((Scalars) lhs).values()[i], true,
                        b.returnBool());
            }
            out.set(i, requireUniqueAtStep(result));
        }
        return new Vectors(out);
    }

    private Value evalAggregate(Aggregate a) {
        Value param = a.param() == null ? null : eval(a.param());
        List<List<Sample>> in = ((Vectors) eval(a.expr())).steps();
        List<List<Sample>> out = newSteps();
        Aggregations.GroupKeys keys = new Aggregations.GroupKeys();
        for (int i = 0; i < steps.length; i++) {
            double p = param instanceof Scalars s ? s.values()[i] : Double.NaN;
            String label = param instanceof Str s ? s.value() : null;
            out.set(i, requireUniqueAtStep(Aggregations.aggregate(a, in.get(i), p, label, steps[i], keys)));
        }
        return new Vectors(out);
    }

    private Value evalCall(Call c) {
        String name = c.function().name();
        if (name.equals("time")) {
            return new Scalars(Arrays.stream(steps).mapToDouble(t -> t / 1000.0).toArray());
        }
        int matrixArg = c.function().matrixArgIndex();
        if (matrixArg >= 0) {
            return evalRangeFunction(c, matrixArg);
        }
        if (name.equals("timestamp") && Ast.unwrap(c.args().get(0)) instanceof VectorSelector vs) {
            // Prometheus hands timestamp() the samples' own times when its argument is a selector.
            List<List<Sample>> in = evalSelector(vs, true).steps();
            List<List<Sample>> out = newSteps();
            for (int i = 0; i < steps.length; i++) {
                out.set(i, requireUniqueAtStep(InstantFunctions.apply(name, c.args(),
                        new InstantFunctions.Args(List.of(in.get(i)), new double[1], new String[1]), steps[i])));
            }
            return new Vectors(out);
        }
        List<Value> args = new ArrayList<>();
        for (Expr arg : c.args()) {
            args.add(eval(arg));
        }
        if (name.equals("scalar")) {
            List<List<Sample>> in = ((Vectors) args.get(0)).steps();
            return new Scalars(in.stream().mapToDouble(InstantFunctions::scalar).toArray());
        }
        List<List<Sample>> out = newSteps();
        for (int i = 0; i < steps.length; i++) {
            List<List<Sample>> vectors = new ArrayList<>();
            double[] scalars = new double[args.size()];
            String[] strings = new String[args.size()];
            for (int a = 0; a < args.size(); a++) {
                Value v = args.get(a);
                if (v instanceof Vectors vv) {
                    vectors.add(vv.steps().get(i));
                } else {
                    vectors.add(List.of());
                    if (v instanceof Scalars s) {
                        scalars[a] = s.values()[i];
                    } else {
                        strings[a] = ((Str) v).value();
                    }
                }
            }
            out.set(i, requireUniqueAtStep(InstantFunctions.apply(name, c.args(),
                    new InstantFunctions.Args(vectors, scalars, strings), steps[i])));
        }
        return new Vectors(out);
    }

    /** The functions a source's window statistics can answer (see {@link SeriesSource#windowStats}). */
    private static final Set<String> STATS_FUNCTIONS = Set.of("count_over_time", "sum_over_time", "min_over_time",
            "max_over_time", "avg_over_time");
    /** Windows at least this long are worth answering from statistics rather than samples. */
    static final long STATS_MIN_RANGE_MS = 15 * 60_000L;

    /** A function of a range vector: each selected series, each step's window, Prometheus order. */
    private Value evalRangeFunction(Call c, int matrixArg) {
        String name = c.function().name();
        MatrixSelector ms = (MatrixSelector) Ast.unwrap(c.args().get(matrixArg));
        double[] scalarArg = new double[steps.length];
        for (int a = 0; a < c.args().size(); a++) {
            if (a != matrixArg) {
                scalarArg = ((Scalars) eval(c.args().get(a))).values();
            }
        }
        if (STATS_FUNCTIONS.contains(name) && ms.rangeMs() >= STATS_MIN_RANGE_MS
                && (steps.length == 1 || steps[1] - steps[0] >= ms.rangeMs())) {
            Value fromStats = evalFromWindowStats(name, ms);
            if (fromStats != null) {
                return fromStats;
            }
        }
        List<List<Sample>> out = newSteps();
        Set<Labels> produced = new HashSet<>();
        for (Loaded l : select(ms.selector(), ms.rangeMs())) {
            checkDeadline("evaluation of " + name + "()");
            Labels outLabels = name.equals("last_over_time") ? l.labels() : LabelSets.dropMetricName(l.labels());
            if (overSteps(name, l, ms, scalarArg, outLabels, null, out) && !produced.add(outLabels)) {
                throw executionError("vector cannot contain metrics with the same labelset");
            }
        }
        return new Vectors(out);
    }

    /**
     * Evaluates a range function over one series at each step (only the steps in {@code only}, if
     * given); returns whether any step produced a value.
     */
    private boolean overSteps(String name, Loaded l, MatrixSelector ms, double[] scalarArg, Labels outLabels,
            Set<Integer> only, List<List<Sample>> out) {
        // Windows never include staleness markers.
        int n = 0;
        long[] t = new long[l.t().length];
        double[] v = new double[l.v().length];
        for (int i = 0; i < l.t().length; i++) {
            if (!Series.isStale(l.v()[i])) {
                t[n] = l.t()[i];
                v[n++] = l.v()[i];
            }
        }
        t = Arrays.copyOf(t, n);
        v = Arrays.copyOf(v, n);
        boolean any = false;
        for (int i = 0; i < steps.length; i++) {
            if (only != null && !only.contains(i)) {
                continue;
            }
            long refTime = steps[i] - ms.selector().offsetMs();
            int[] w = window(t, refTime - ms.rangeMs(), refTime);
            if (w[0] == w[1]) {
                continue;
            }
            Double result = RangeFunctions.apply(name, t, v, w[0], w[1],
                    new RangeFunctions.Window(steps[i], ms.rangeMs(), ms.selector().offsetMs(), scalarArg[i]));
            if (result != null) {
                out.get(i).add(new Sample(outLabels, result, steps[i]));
                any = true;
            }
        }
        return any;
    }

    /**
     * count/sum/min/max/avg_over_time from the source's window statistics; the windows whose
     * statistics may hold a NaN (or an infinity, whose averages Prometheus treats specially) are
     * computed from that series' samples instead. Null if the source gives no statistics.
     */
    private Value evalFromWindowStats(String name, MatrixSelector ms) {
        long offset = ms.selector().offsetMs();
        long[] ends = Arrays.stream(steps).map(t -> t - offset).toArray();
        List<WindowStats> stats = source.windowStats(ms.selector().matchers(), ends, ms.rangeMs());
        if (stats == null) {
            return null;
        }
        List<WindowStats> sorted = new ArrayList<>(stats);
        sorted.sort(Comparator.comparing(WindowStats::labels));
        List<List<Sample>> out = newSteps();
        Set<Labels> produced = new HashSet<>();
        for (WindowStats ws : sorted) {
            checkDeadline("evaluation of " + name + "()");
            Labels outLabels = LabelSets.dropMetricName(ws.labels());
            boolean any = false;
            Set<Integer> fromSamples = new HashSet<>();
            for (int i = 0; i < steps.length; i++) {
                long count = ws.counts()[i];
                double sum = ws.sums()[i];
                if (count == 0) {
                    continue;
                }
                countSamples(1);
                if (Double.isNaN(sum) || Double.isInfinite(sum)) {
                    fromSamples.add(i);
                    continue;
                }
                double value = switch (name) {
                    case "count_over_time" -> count;
                    case "sum_over_time" -> sum;
                    case "min_over_time" -> ws.mins()[i];
                    case "max_over_time" -> ws.maxs()[i];
                    default -> sum / count;
                };
                out.get(i).add(new Sample(outLabels, value, steps[i]));
                any = true;
            }
            if (!fromSamples.isEmpty()) {
                List<LabelMatcher> exact = new ArrayList<>();
                for (int k = 0; k < ws.labels().size(); k++) {
                    exact.add(LabelMatcher.equal(ws.labels().name(k), ws.labels().value(k)));
                }
                long minT = ends[fromSamples.stream().min(Integer::compare).orElseThrow()] - ms.rangeMs();
                long maxT = ends[fromSamples.stream().max(Integer::compare).orElseThrow()];
                for (Series s : source.select(exact, minT, maxT)) {
                    if (s.labels().equals(ws.labels())) {
                        countSamples(s.size());
                        any |= overSteps(name, new Loaded(s.labels(), s.timestamps(), s.values()), ms, new double[steps.length],
                                outLabels, fromSamples, out);
                    }
                }
            }
            if (any && !produced.add(outLabels)) {
                throw executionError("vector cannot contain metrics with the same labelset");
            }
        }
        return new Vectors(out);
    }
}
