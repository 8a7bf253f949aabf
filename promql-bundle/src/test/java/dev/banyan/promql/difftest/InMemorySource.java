package dev.banyan.promql.difftest;

import java.util.ArrayList;
import java.util.List;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;
import dev.banyan.promql.api.WindowStats;

/** A {@link SeriesSource} over series held in memory: the engine's reference input in tests. */
public class InMemorySource implements SeriesSource {

    private final List<Series> series;

    public InMemorySource(List<Series> series) {
        this.series = List.copyOf(series);
    }

    @Override
    public List<Series> select(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        List<Series> out = new ArrayList<>();
        for (Series s : series) {
            if (matchers.stream().allMatch(m -> m.matches(s.labels()))) {
                List<Integer> idx = new ArrayList<>();
                for (int i = 0; i < s.size(); i++) {
                    if (s.timestamps()[i] >= minTimeMs && s.timestamps()[i] <= maxTimeMs) {
                        idx.add(i);
                    }
                }
                if (!idx.isEmpty()) {
                    out.add(new Series(s.labels(), idx.stream().mapToLong(i -> s.timestamps()[i]).toArray(),
                            idx.stream().mapToDouble(i -> s.values()[i]).toArray()));
                }
            }
        }
        return out;
    }

    @Override
    public List<Labels> series(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
        return select(matchers, minTimeMs, maxTimeMs).stream().map(Series::labels).toList();
    }

    /** Statistics computed from the samples, honestly: a window holding any NaN reports a NaN sum. */
    @Override
    public List<WindowStats> windowStats(List<LabelMatcher> matchers, long[] windowEnds, long rangeMs) {
        windowStatsCalls++;
        List<WindowStats> out = new ArrayList<>();
        for (Series s : select(matchers, windowEnds[0] - rangeMs, windowEnds[windowEnds.length - 1])) {
            int n = windowEnds.length;
            long[] counts = new long[n];
            double[] sums = new double[n];
            double[] mins = new double[n];
            double[] maxs = new double[n];
            for (int w = 0; w < n; w++) {
                mins[w] = Double.POSITIVE_INFINITY;
                maxs[w] = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < s.size(); i++) {
                    long t = s.timestamps()[i];
                    if (t >= windowEnds[w] - rangeMs && t <= windowEnds[w]) {
                        double v = s.values()[i];
                        counts[w]++;
                        sums[w] += v;
                        mins[w] = Math.min(mins[w], v);
                        maxs[w] = Math.max(maxs[w], v);
                    }
                }
            }
            out.add(new WindowStats(s.labels(), counts, sums, mins, maxs));
        }
        return out;
    }

    /** How often the engine asked for window statistics. */
    public int windowStatsCalls() {
        return windowStatsCalls;
    }

    private int windowStatsCalls;
}
