package dev.banyan.promql.api;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What the PromQL engine reads: a storage implements this to be queried. Every method may be
 * called from several query threads at once.
 */
@ConsumerType
public interface SeriesSource {

    /**
     * The series matching every matcher, each with its samples in {@code [minTimeMs, maxTimeMs]}
     * (both inclusive). Series without a sample in the range may be left out. Staleness markers are
     * returned as stored (bit-exact).
     *
     * @param matchers at least one, combined with AND
     * @throws QueryException of type {@link QueryException.ErrorType#UNAVAILABLE} when the storage
     *                        cannot answer now, {@link QueryException.ErrorType#INTERNAL} when it fails
     */
    List<Series> select(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs);

    /**
     * The label sets of the series matching every matcher that have a sample in
     * {@code [minTimeMs, maxTimeMs]}, without their samples (for {@code /api/v1/series}).
     */
    List<Labels> series(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs);

    /**
     * The sorted, distinct label names of the series with a sample in the range. The default reads
     * every series' labels; a source with an index of label names overrides it.
     */
    default List<String> labelNames(long minTimeMs, long maxTimeMs) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (Labels labels : series(List.of(ANY_METRIC), minTimeMs, maxTimeMs)) {
            for (int i = 0; i < labels.size(); i++) {
                names.add(labels.name(i));
            }
        }
        return List.copyOf(names);
    }

    /**
     * The sorted, distinct values of label {@code name} ({@code __name__} included) in the range. The
     * default reads every series' labels; a source with an index of label values overrides it.
     */
    default List<String> labelValues(String name, long minTimeMs, long maxTimeMs) {
        java.util.TreeSet<String> values = new java.util.TreeSet<>();
        for (Labels labels : series(List.of(ANY_METRIC, LabelMatcher.of(name, LabelMatcher.Type.REGEX, ".+")), minTimeMs,
                maxTimeMs)) {
            values.add(labels.get(name));
        }
        return List.copyOf(values);
    }

    /**
     * Optional: per-window statistics of the series matching every matcher, for the windows
     * {@code [end - rangeMs, end]} (both inclusive) of each {@code end} in {@code windowEnds}
     * (ascending, windows not overlapping). The engine asks for them to answer
     * {@code count/sum/min/max/avg_over_time} over long windows without loading samples. A window
     * whose values include any NaN (staleness markers included) must report a NaN sum.
     *
     * @return the statistics of every matching series with a sample in some window, or null if this
     *         source cannot give them cheaply (the default): the engine then reads the samples
     */
    default List<WindowStats> windowStats(List<LabelMatcher> matchers, long[] windowEnds, long rangeMs) {
        return null;
    }

    /** Selects every series (each has a metric name). */
    LabelMatcher ANY_METRIC = LabelMatcher.of(Labels.METRIC_NAME, LabelMatcher.Type.REGEX, ".+");

    /**
     * This source, calling {@code deadline} before each read it makes of the storage (one per metric
     * and window), so that a query over many metrics stops at its timeout instead of after reading
     * them all. The engine takes one such view per query; {@code deadline} throws (a
     * {@link QueryException} of type TIMEOUT) once the query's time is up. The default returns this
     * source unchanged, for sources whose reads are quick.
     *
     * @since 1.1
     */
    default SeriesSource checking(Runnable deadline) {
        return this;
    }
}
