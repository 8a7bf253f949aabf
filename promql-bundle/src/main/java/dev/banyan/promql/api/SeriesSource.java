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
     * @throws QueryException of type {@link QueryException.ErrorType#TIMEOUT} or
     *                        {@link QueryException.ErrorType#INTERNAL} when the storage cannot answer
     */
    List<Series> select(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs);

    /**
     * The label sets of the series matching every matcher that have a sample in
     * {@code [minTimeMs, maxTimeMs]}, without their samples (for {@code /api/v1/series}).
     */
    List<Labels> series(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs);

    /** The sorted, distinct label names of the series with a sample in the range. */
    List<String> labelNames(long minTimeMs, long maxTimeMs);

    /** The sorted, distinct values of label {@code name} ({@code __name__} included) in the range. */
    List<String> labelValues(String name, long minTimeMs, long maxTimeMs);
}
