package dev.banyan.promql.internal.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.internal.parse.Ast.Expr;
import dev.banyan.promql.internal.parse.Ast.MatrixSelector;
import dev.banyan.promql.internal.parse.Ast.VectorSelector;

/**
 * Functions of instant vectors and scalars on one evaluation step, as in Prometheus 2.42's
 * {@code promql/functions.go}.
 */
final class InstantFunctions {

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Map<String, DoubleUnaryOperator> SIMPLE = Map.of(
            "abs", Math::abs, "ceil", Math::ceil, "floor", Math::floor, "exp", Math::exp, "sqrt", Math::sqrt,
            "ln", Math::log, "log2", v -> Math.log(v) / Math.log(2), "log10", Math::log10,
            "sgn", v -> v < 0 ? -1 : v > 0 ? 1 : v);

    private InstantFunctions() {
    }

    /** The arguments of one step: instant vectors, scalars and strings by position. */
    record Args(List<List<Sample>> vectors, double[] scalars, String[] strings) {
        List<Sample> vector(int i) {
            return vectors.get(i);
        }
    }

    static List<Sample> apply(String name, List<Expr> argExprs, Args args, long timeMs) {
        DoubleUnaryOperator simple = SIMPLE.get(name);
        if (simple != null) {
            return map(args.vector(0), simple, timeMs);
        }
        return switch (name) {
            case "round" -> {
                double toNearest = argExprs.size() >= 2 ? args.scalars()[1] : 1;
                double inverse = 1.0 / toNearest;
                yield map(args.vector(0), v -> Math.floor(v * inverse + 0.5) / inverse, timeMs);
            }
            case "clamp" -> {
                double min = args.scalars()[1];
                double max = args.scalars()[2];
                yield max < min ? List.of() : map(args.vector(0), v -> Math.max(min, Math.min(max, v)), timeMs);
            }
            case "clamp_min" -> map(args.vector(0), v -> Math.max(args.scalars()[1], v), timeMs);
            case "clamp_max" -> map(args.vector(0), v -> Math.min(args.scalars()[1], v), timeMs);
            case "timestamp" -> {
                List<Sample> out = new ArrayList<>();
                for (Sample s : args.vector(0)) {
                    out.add(new Sample(LabelSets.dropMetricName(s.labels()), s.timeMs() / 1000.0, timeMs));
                }
                yield out;
            }
            case "vector" -> List.of(new Sample(Labels.EMPTY, args.scalars()[0], timeMs));
            case "sort" -> sorted(args.vector(0), false);
            case "sort_desc" -> sorted(args.vector(0), true);
            case "label_replace" -> labelReplace(args, timeMs);
            case "label_join" -> labelJoin(args, timeMs);
            case "absent" -> args.vector(0).isEmpty()
                    ? List.of(new Sample(absentLabels(argExprs.get(0)), 1, timeMs)) : List.of();
            case "histogram_quantile" -> histogramQuantile(args.scalars()[0], args.vector(1), timeMs);
            default -> throw new IllegalStateException("not an instant-vector function: " + name);
        };
    }

    /** scalar(v): the single element's value, NaN unless there is exactly one. */
    static double scalar(List<Sample> vector) {
        return vector.size() == 1 ? vector.get(0).value() : Double.NaN;
    }

    private static List<Sample> map(List<Sample> vector, DoubleUnaryOperator f, long timeMs) {
        List<Sample> out = new ArrayList<>(vector.size());
        for (Sample s : vector) {
            out.add(new Sample(LabelSets.dropMetricName(s.labels()), f.applyAsDouble(s.value()), timeMs));
        }
        return out;
    }

    private static List<Sample> sorted(List<Sample> vector, boolean descending) {
        List<Sample> out = new ArrayList<>(vector);
        out.sort((a, b) -> {
            // NaN last either way
            if (Double.isNaN(a.value()) || Double.isNaN(b.value())) {
                return Boolean.compare(Double.isNaN(a.value()), Double.isNaN(b.value()));
            }
            return descending ? Double.compare(b.value(), a.value()) : Double.compare(a.value(), b.value());
        });
        return out;
    }

    private static List<Sample> labelReplace(Args args, long timeMs) {
        String dst = args.strings()[1];
        String replacement = args.strings()[2];
        String src = args.strings()[3];
        String regex = args.strings()[4];
        Pattern pattern;
        try {
            pattern = LabelMatcher.compileAnchored(regex);
        } catch (IllegalArgumentException e) {
            throw Evaluator.executionError("invalid regular expression in label_replace(): " + regex + " (" + e.getMessage() + ")");
        }
        if (!LABEL_NAME.matcher(dst).matches()) {
            throw Evaluator.executionError("invalid destination label name in label_replace(): " + dst);
        }
        Map<Labels, Labels> done = new HashMap<>();
        List<Sample> out = new ArrayList<>();
        for (Sample s : args.vector(0)) {
            Labels outLabels = done.computeIfAbsent(s.labels(), labels -> {
                Matcher m = pattern.matcher(labels.get(src));
                if (!m.matches()) {
                    return labels;
                }
                return LabelSets.with(labels, dst, expand(replacement, m));
            });
            out.add(new Sample(outLabels, s.value(), timeMs));
        }
        return out;
    }

    /**
     * Go's Regexp.ExpandString: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; a
     * name is the longest run of letters, digits and underscores, and an unknown group expands to "".
     */
    static String expand(String template, Matcher m) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                name = close < 0 ? null : template.substring(i + 2, close);
                if (name == null || name.isEmpty() || !name.chars().allMatch(InstantFunctions::isWordChar)) {
                    out.append(c); // malformed: the '$' is copied literally
                    i++;
                    continue;
                }
                end = close + 1;
            } else {
                end = i + 1;
                while (end < template.length() && isWordChar(template.charAt(end))) {
                    end++;
                }
                if (end == i + 1) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, end);
            }
            out.append(group(m, name));
            i = end;
        }
        return out.toString();
    }

    private static boolean isWordChar(int c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String group(Matcher m, String name) {
        String value = null;
        if (name.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(name);
                if (n <= m.groupCount()) {
                    value = m.group(n);
                }
            } catch (NumberFormatException e) {
                value = null;
            }
        } else {
            try {
                value = m.group(name);
            } catch (IllegalArgumentException e) {
                value = null;
            }
        }
        return value == null ? "" : value;
    }

    private static List<Sample> labelJoin(Args args, long timeMs) {
        String dst = args.strings()[1];
        String separator = args.strings()[2];
        List<String> sources = new ArrayList<>();
        for (int i = 3; i < args.strings().length; i++) {
            String src = args.strings()[i];
            if (!LABEL_NAME.matcher(src).matches()) {
                throw Evaluator.executionError("invalid source label name in label_join(): " + src);
            }
            sources.add(src);
        }
        if (!LABEL_NAME.matcher(dst).matches()) {
            throw Evaluator.executionError("invalid destination label name in label_join(): " + dst);
        }
        Map<Labels, Labels> done = new HashMap<>();
        List<Sample> out = new ArrayList<>();
        for (Sample s : args.vector(0)) {
            Labels outLabels = done.computeIfAbsent(s.labels(), labels -> {
                List<String> values = new ArrayList<>();
                for (String src : sources) {
                    values.add(labels.get(src));
                }
                return LabelSets.with(labels, dst, String.join(separator, values));
            });
            out.add(new Sample(outLabels, s.value(), timeMs));
        }
        return out;
    }

    /** absent(): the equality matchers of a selector argument become the labels; others are left out. */
    private static Labels absentLabels(Expr arg) {
        List<LabelMatcher> matchers;
        if (arg instanceof VectorSelector vs) {
            matchers = vs.matchers();
        } else if (arg instanceof MatrixSelector ms) {
            matchers = ms.selector().matchers();
        } else {
            return Labels.EMPTY;
        }
        Map<String, String> m = new LinkedHashMap<>();
        List<String> ambiguous = new ArrayList<>();
        for (LabelMatcher lm : matchers) {
            if (lm.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (lm.type() == LabelMatcher.Type.EQUAL && !m.containsKey(lm.name())) {
                m.put(lm.name(), lm.value());
            } else {
                ambiguous.add(lm.name());
            }
        }
        ambiguous.forEach(m::remove);
        return Labels.of(m);
    }

    private static List<Sample> histogramQuantile(double q, List<Sample> vector, long timeMs) {
        Map<Labels, List<Quantiles.Bucket>> byHistogram = new LinkedHashMap<>();
        Map<Labels, Labels> outputLabels = new HashMap<>();
        for (Sample s : vector) {
            Double upperBound = parseGoFloat(s.labels().get("le"));
            if (upperBound == null) {
                continue; // no bucket label or a malformed one: skipped, as in Prometheus
            }
            // The metric name stays in the key so that two histograms with equal labels are not merged.
            Labels key = LabelSets.without(s.labels(), List.of("le"));
            outputLabels.computeIfAbsent(key, k -> LabelSets.without(s.labels(), List.of("le", Labels.METRIC_NAME)));
            byHistogram.computeIfAbsent(key, k -> new ArrayList<>()).add(new Quantiles.Bucket(upperBound, s.value()));
        }
        List<Sample> out = new ArrayList<>();
        byHistogram.forEach((key, buckets) ->
                out.add(new Sample(outputLabels.get(key), Quantiles.bucketQuantile(q, buckets), timeMs)));
        return out;
    }

    private static final Pattern GO_FLOAT = Pattern.compile(
            "[+-]?(?:(?:[0-9](?:_?[0-9])*)?\\.?[0-9]*(?:[eE][+-]?[0-9]+)?|0[xX][0-9a-fA-F.]+(?:[pP][+-]?[0-9]+)?)");

    /** Go's strconv.ParseFloat(s, 64), or null where it would fail. */
    static Double parseGoFloat(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                break;
        }
        if (s.isEmpty() || !GO_FLOAT.matcher(s).matches() || !s.chars().anyMatch(Character::isDigit)) {
            return null;
        }
        try {
            String java = s.replace("_", "");
            if (lower.replace("+", "").replace("-", "").startsWith("0x")) {
                return java.contains("p") || java.contains("P") ? Double.parseDouble(java)
                        : Double.parseDouble(java + "p0");
            }
            return Double.parseDouble(java);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
