package dev.banyan.promql.internal.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** quantile() and histogram_quantile() as Prometheus 2.42's {@code promql/quantile.go} computes them. */
final class Quantiles {

    private Quantiles() {
    }

    /** NaN sorts first, as Prometheus's vectorByValueHeap orders it. */
    static final Comparator<Double> NAN_FIRST = (a, b) -> {
        if (Double.isNaN(a)) {
            return Double.isNaN(b) ? 0 : -1;
        }
        if (Double.isNaN(b)) {
            return 1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    };

    /** The q-quantile of {@code values}, interpolating between the two nearest ranks. */
    static double quantile(double q, double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        Double[] sorted = Arrays.stream(values).boxed().toArray(Double[]::new);
        Arrays.sort(sorted, NAN_FIRST);
        double n = sorted.length;
        double rank = q * (n - 1);
        double lowerIndex = Math.max(0, Math.floor(rank));
        double upperIndex = Math.min(n - 1, lowerIndex + 1);
        double weight = rank - Math.floor(rank);
        return sorted[(int) lowerIndex] * (1 - weight) + sorted[(int) upperIndex] * weight;
    }

    /** A classic histogram bucket: its upper bound ({@code le}) and cumulative count. */
    static final class Bucket {
        final double upperBound;
        double count;

        Bucket(double upperBound, double count) {
            this.upperBound = upperBound;
            this.count = count;
        }
    }

    /** The q-quantile of a classic histogram, interpolating linearly inside the bucket that holds it. */
    static double bucketQuantile(double q, List<Bucket> input) {
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        List<Bucket> buckets = new ArrayList<>(input);
        buckets.sort(Comparator.comparingDouble(b -> b.upperBound));
        if (buckets.get(buckets.size() - 1).upperBound != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        buckets = coalesce(buckets);
        ensureMonotonic(buckets);
        if (buckets.size() < 2) {
            return Double.NaN;
        }
        double observations = buckets.get(buckets.size() - 1).count;
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = buckets.size() - 1;
        for (int i = 0; i < buckets.size() - 1; i++) {
            if (buckets.get(i).count >= rank) {
                b = i;
                break;
            }
        }
        if (b == buckets.size() - 1) {
            return buckets.get(buckets.size() - 2).upperBound;
        }
        if (b == 0 && buckets.get(0).upperBound <= 0) {
            return buckets.get(0).upperBound;
        }
        double bucketStart = 0;
        double bucketEnd = buckets.get(b).upperBound;
        double count = buckets.get(b).count;
        if (b > 0) {
            bucketStart = buckets.get(b - 1).upperBound;
            count -= buckets.get(b - 1).count;
            rank -= buckets.get(b - 1).count;
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** Buckets with the same upper bound (e.g. le="1" and le="1.0") are added up. */
    private static List<Bucket> coalesce(List<Bucket> buckets) {
        List<Bucket> out = new ArrayList<>();
        Bucket last = new Bucket(buckets.get(0).upperBound, buckets.get(0).count);
        for (Bucket b : buckets.subList(1, buckets.size())) {
            if (b.upperBound == last.upperBound) {
                last.count += b.count;
            } else {
                out.add(last);
                last = new Bucket(b.upperBound, b.count);
            }
        }
        out.add(last);
        return out;
    }

    /** Cumulative counts must not decrease; a lower count (a scrape race) is raised to the maximum so far. */
    private static void ensureMonotonic(List<Bucket> buckets) {
        double max = Double.NEGATIVE_INFINITY;
        for (Bucket b : buckets) {
            if (b.count > max) {
                max = b.count;
            } else if (b.count < max) {
                b.count = max;
            }
        }
    }
}
