package dev.banyan.promql.internal.eval;

import java.util.Arrays;

/**
 * The range-vector functions, over the points {@code [from, to)} of one series inside one window
 * (staleness markers already removed). Each follows Prometheus 2.42's {@code promql/functions.go}
 * operation by operation, so results agree to the last bits; {@code null} means "no output for this
 * series at this step".
 */
final class RangeFunctions {

    private RangeFunctions() {
    }

    /** The window of one evaluation: its evaluation time, range and offset (ms) and the scalar argument. */
    record Window(long evalTimeMs, long rangeMs, long offsetMs, double scalarArg) {
    }

    static Double apply(String function, long[] t, double[] v, int from, int to, Window w) {
        return switch (function) {
            case "rate" -> extrapolatedRate(t, v, from, to, w, true, true);
            case "increase" -> extrapolatedRate(t, v, from, to, w, true, false);
            case "delta" -> extrapolatedRate(t, v, from, to, w, false, false);
            case "irate" -> instantValue(t, v, from, to, true);
            case "idelta" -> instantValue(t, v, from, to, false);
            case "resets" -> resets(v, from, to);
            case "changes" -> changes(v, from, to);
            case "avg_over_time" -> avgOverTime(v, from, to);
            case "min_over_time" -> extreme(v, from, to, false);
            case "max_over_time" -> extreme(v, from, to, true);
            case "sum_over_time" -> sumOverTime(v, from, to);
            case "count_over_time" -> (double) (to - from);
            case "last_over_time" -> v[to - 1];
            case "present_over_time" -> 1.0;
            case "stddev_over_time" -> Math.sqrt(stdvarOverTime(v, from, to));
            case "stdvar_over_time" -> stdvarOverTime(v, from, to);
            case "quantile_over_time" -> Quantiles.quantile(w.scalarArg(), Arrays.copyOfRange(v, from, to));
            default -> throw new IllegalStateException("not a range function: " + function);
        };
    }

    /** rate, increase and delta: counter resets, then extrapolation towards the window's edges. */
    private static Double extrapolatedRate(long[] t, double[] v, int from, int to, Window w, boolean isCounter, boolean isRate) {
        int n = to - from;
        if (n < 2) {
            return null;
        }
        long rangeStart = w.evalTimeMs() - (w.rangeMs() + w.offsetMs());
        long rangeEnd = w.evalTimeMs() - w.offsetMs();
        double first = v[from];
        double result = v[to - 1] - first;
        if (isCounter) {
            double prev = first;
            for (int i = from + 1; i < to; i++) {
                if (v[i] < prev) {
                    result += prev;
                }
                prev = v[i];
            }
        }
        double durationToStart = (double) (t[from] - rangeStart) / 1000;
        double durationToEnd = (double) (rangeEnd - t[to - 1]) / 1000;
        double sampledInterval = (double) (t[to - 1] - t[from]) / 1000;
        double averageDurationBetweenSamples = sampledInterval / (n - 1);
        if (isCounter && result > 0 && first >= 0) {
            // A counter cannot go below zero: extrapolate no further back than where it would be zero.
            double durationToZero = sampledInterval * (first / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
        extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
        double factor = extrapolateToInterval / sampledInterval;
        if (isRate) {
            factor /= w.rangeMs() / 1000.0;
        }
        return result * factor;
    }

    /** irate and idelta: the last two points only. */
    private static Double instantValue(long[] t, double[] v, int from, int to, boolean isRate) {
        if (to - from < 2) {
            return null;
        }
        double last = v[to - 1];
        double previous = v[to - 2];
        double result = isRate && last < previous ? last : last - previous;
        long sampledInterval = t[to - 1] - t[to - 2];
        if (sampledInterval == 0) {
            return null;
        }
        if (isRate) {
            result /= (double) sampledInterval / 1000;
        }
        return result;
    }

    private static Double resets(double[] v, int from, int to) {
        int resets = 0;
        for (int i = from + 1; i < to; i++) {
            if (v[i] < v[i - 1]) {
                resets++;
            }
        }
        return (double) resets;
    }

    private static Double changes(double[] v, int from, int to) {
        int changes = 0;
        for (int i = from + 1; i < to; i++) {
            double current = v[i];
            double prev = v[i - 1];
            if (current != prev && !(Double.isNaN(current) && Double.isNaN(prev))) {
                changes++;
            }
        }
        return (double) changes;
    }

    private static Double avgOverTime(double[] v, int from, int to) {
        double mean = 0;
        double c = 0;
        double count = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            count++;
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(x) && (mean > 0) == (x > 0)) {
                    continue;
                }
                if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                    continue;
                }
            }
            double[] sc = Kahan.inc(x / count - mean / count, mean, c);
            mean = sc[0];
            c = sc[1];
        }
        return Double.isInfinite(mean) ? mean : mean + c;
    }

    /** min_over_time and max_over_time: a NaN is replaced by any later value, and kept only if all are NaN. */
    private static Double extreme(double[] v, int from, int to, boolean max) {
        double best = v[from];
        for (int i = from; i < to; i++) {
            if ((max ? v[i] > best : v[i] < best) || Double.isNaN(best)) {
                best = v[i];
            }
        }
        return best;
    }

    private static Double sumOverTime(double[] v, int from, int to) {
        double sum = 0;
        double c = 0;
        for (int i = from; i < to; i++) {
            double[] sc = Kahan.inc(v[i], sum, c);
            sum = sc[0];
            c = sc[1];
        }
        return Double.isInfinite(sum) ? sum : sum + c;
    }

    private static double stdvarOverTime(double[] v, int from, int to) {
        double count = 0;
        double mean = 0;
        double cMean = 0;
        double aux = 0;
        double cAux = 0;
        for (int i = from; i < to; i++) {
            double x = v[i];
            count++;
            double delta = x - (mean + cMean);
            double[] m = Kahan.inc(delta / count, mean, cMean);
            mean = m[0];
            cMean = m[1];
            double[] a = Kahan.inc(delta * (x - (mean + cMean)), aux, cAux);
            aux = a[0];
            cAux = a[1];
        }
        return (aux + cAux) / count;
    }

    /** Kahan-Neumaier compensated summation, as Prometheus's kahanSumInc. */
    static final class Kahan {
        private Kahan() {
        }

        static double[] inc(double inc, double sum, double c) {
            double t = sum + inc;
            if (Math.abs(sum) >= Math.abs(inc)) {
                c += (sum - t) + inc;
            } else {
                c += (inc - t) + sum;
            }
            return new double[] {t, c};
        }
    }
}
