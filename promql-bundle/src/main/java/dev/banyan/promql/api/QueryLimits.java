package dev.banyan.promql.api;

/**
 * Bounds of one query.
 *
 * @param timeoutMs  wall-clock time the evaluation may take, in milliseconds; exceeding it fails the
 *                   query with {@link QueryException.ErrorType#TIMEOUT}
 * @param maxSamples samples the query may load from the source plus points it may produce; exceeding
 *                   it fails the query with {@link QueryException.ErrorType#EXECUTION}
 * @param lookbackMs how far back an instant vector selector looks for a sample (Prometheus: 5 min)
 */
public record QueryLimits(long timeoutMs, long maxSamples, long lookbackMs) {

    /** Prometheus's defaults: 2 minutes, 50,000,000 samples, 5 minutes of lookback. */
    public static final QueryLimits DEFAULT = new QueryLimits(120_000, 50_000_000, 300_000);

    public QueryLimits {
        if (timeoutMs <= 0 || maxSamples <= 0 || lookbackMs <= 0) {
            throw new IllegalArgumentException("query limits must be positive: timeout " + timeoutMs + " ms, "
                    + maxSamples + " samples, lookback " + lookbackMs + " ms");
        }
    }
}
