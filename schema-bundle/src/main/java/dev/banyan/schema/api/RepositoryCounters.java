package dev.banyan.schema.api;

/**
 * [R10] Repository counters since start.
 *
 * @param errors  failed event processings (synchronous or retried)
 * @param retries events queued again for a retry worker
 * @param panics  unexpected throwables caught by the retry workers
 */
public record RepositoryCounters(long errors, long retries, long panics) {
}
