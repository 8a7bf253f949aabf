package dev.banyan.promql.difftest;

import java.util.ArrayList;
import java.util.List;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;

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
}
