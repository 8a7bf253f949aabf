package dev.banyan.promql.internal.parse;

import static dev.banyan.promql.internal.parse.Ast.ValueType.MATRIX;
import static dev.banyan.promql.internal.parse.Ast.ValueType.SCALAR;
import static dev.banyan.promql.internal.parse.Ast.ValueType.STRING;
import static dev.banyan.promql.internal.parse.Ast.ValueType.VECTOR;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.banyan.promql.internal.parse.Ast.ValueType;

/**
 * The PromQL functions Banyan evaluates, with the signatures of Prometheus 2.42
 * ({@code promql/parser/functions.go}).
 *
 * @param variadic 0: exactly {@code args}; n &gt; 0: up to n more of the last type; -1: any number more
 */
public record Function(String name, List<ValueType> args, int variadic, ValueType returns) {

    private static final Map<String, Function> SUPPORTED = index(
            f("abs", VECTOR), f("ceil", VECTOR), f("floor", VECTOR), f("exp", VECTOR), f("sqrt", VECTOR),
            f("ln", VECTOR), f("log2", VECTOR), f("log10", VECTOR), f("sgn", VECTOR),
            new Function("round", List.of(VECTOR, SCALAR), 1, VECTOR),
            f("clamp", VECTOR, SCALAR, SCALAR), f("clamp_min", VECTOR, SCALAR), f("clamp_max", VECTOR, SCALAR),
            new Function("time", List.of(), 0, SCALAR), f("timestamp", VECTOR),
            new Function("vector", List.of(SCALAR), 0, VECTOR), new Function("scalar", List.of(VECTOR), 0, SCALAR),
            f("sort", VECTOR), f("sort_desc", VECTOR),
            f("label_replace", VECTOR, STRING, STRING, STRING, STRING),
            new Function("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR),
            f("absent", VECTOR), f("histogram_quantile", SCALAR, VECTOR),
            f("rate", MATRIX), f("irate", MATRIX), f("increase", MATRIX), f("delta", MATRIX), f("idelta", MATRIX),
            f("resets", MATRIX), f("changes", MATRIX),
            f("avg_over_time", MATRIX), f("min_over_time", MATRIX), f("max_over_time", MATRIX),
            f("sum_over_time", MATRIX), f("count_over_time", MATRIX), f("last_over_time", MATRIX),
            f("stddev_over_time", MATRIX), f("stdvar_over_time", MATRIX), f("present_over_time", MATRIX),
            f("quantile_over_time", SCALAR, MATRIX));

    /** Functions of Prometheus 2.42 that Banyan refuses with a clear error instead of evaluating. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of("absent_over_time", "acos", "acosh", "asin", "asinh",
            "atan", "atanh", "cos", "cosh", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg",
            "deriv", "holt_winters", "hour", "minute", "month", "pi", "predict_linear", "rad", "sin", "sinh", "tan",
            "tanh", "year", "histogram_count", "histogram_sum", "histogram_fraction");

    private static Function f(String name, ValueType... args) {
        return new Function(name, List.of(args), 0, VECTOR);
    }

    private static Map<String, Function> index(Function... functions) {
        return java.util.Arrays.stream(functions).collect(java.util.stream.Collectors.toUnmodifiableMap(Function::name,
                fn -> fn));
    }

    /** The supported function called {@code name}, or null. */
    public static Function lookup(String name) {
        return SUPPORTED.get(name);
    }

    /** Whether Prometheus 2.42 knows {@code name} though Banyan does not evaluate it. */
    public static boolean isKnownUnsupported(String name) {
        return KNOWN_UNSUPPORTED.contains(name);
    }

    /** Whether the argument at {@code index} is the range-vector argument. */
    public int matrixArgIndex() {
        return args.indexOf(MATRIX);
    }
}
