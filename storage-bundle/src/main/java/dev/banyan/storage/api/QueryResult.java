package dev.banyan.storage.api;

import java.util.List;

/** The answer to a {@link Query}: raw series for a raw query, rows for an aggregate one. */
public record QueryResult(List<SeriesRows> series, List<AggregateRow> rows) {
}
