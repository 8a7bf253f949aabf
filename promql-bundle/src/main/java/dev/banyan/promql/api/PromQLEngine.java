package dev.banyan.promql.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Evaluates PromQL (the subset in {@code docs/PROMQL.md}) with the semantics of Prometheus 2.42:
 * 5-minute lookback (configurable in {@link QueryLimits}), staleness markers end a series, range
 * queries evaluate at start, start+step, ... up to end, and a construct outside the subset fails
 * with {@link QueryException.ErrorType#BAD_DATA} naming it rather than giving a wrong answer.
 * Registered as an OSGi service; thread-safe.
 */
@ProviderType
public interface PromQLEngine {

    /**
     * An instant query ({@code /api/v1/query}).
     *
     * @param timeMs evaluation time, epoch milliseconds
     * @throws QueryException {@code BAD_DATA} for a malformed or unsupported expression,
     *                        {@code EXECUTION} when evaluation fails, {@code TIMEOUT} past the limit
     */
    QueryResult instantQuery(SeriesSource source, String expression, long timeMs, QueryLimits limits);

    /**
     * A range query ({@code /api/v1/query_range}); the result is always a {@code matrix}, its series
     * sorted by labels.
     *
     * @param startMs first evaluation time, epoch milliseconds
     * @param endMs   last possible evaluation time, at or after {@code startMs}
     * @param stepMs  distance between evaluation times, positive
     * @throws QueryException as {@link #instantQuery}; also {@code BAD_DATA} when the expression is not
     *                        a scalar or an instant vector, or the range has more than 11,000 steps
     */
    QueryResult rangeQuery(SeriesSource source, String expression, long startMs, long endMs, long stepMs, QueryLimits limits);

    /**
     * Parses a series selector as used by {@code match[]} of {@code /api/v1/series}.
     *
     * @throws QueryException {@code BAD_DATA} if {@code selector} is not a vector selector
     */
    java.util.List<LabelMatcher> parseSelector(String selector);
}
