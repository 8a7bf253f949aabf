package dev.banyan.server.api;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.Readiness;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;

/** Writes and reads the measures of the schema registry. Thread-safe. */
@ProviderType
public interface MeasureService {

    /**
     * Validates every point against the measure, then writes them. Returns once they are all
     * stored and as durable as the group's storage says (fsync'd by default). A refusal (invalid
     * point, a write limit, a full memory budget) writes nothing. Past validation, the points of
     * each (segment, shard) pair are stored all or nothing, also across a crash, but not the pairs
     * together: after an exception (or a crash before this returns) some pairs may be stored.
     * Retrying the same points is idempotent (equal series and timestamp: the last write wins).
     * See {@code Tsdb.write} and {@code docs/SEMANTICS.md}, "Batch contract".
     * <p>
     * Timestamps (epoch ms) must lie in the supported range [1970-01-01T00:00:00.001Z,
     * 9999-12-31T23:59:59.999Z] ({@code dev.banyan.storage.api.Timestamps}) and in the group's write
     * window: at most the storage's {@code maxFutureMinutes} (default 2 days) ahead of the server's
     * clock and, while the group's retention is enabled, no older than its TTL.
     *
     * @throws InvalidPointException    unknown measure, tag or field, missing entity tag, no field at
     *                                  all, wrong type, a timestamp outside the supported range or
     *                                  the write window, a series text or batch over a write limit:
     *                                  names the measure, point and field, tag, window or limit
     * @throws GroupNotServingException the group's database is not open right now, or its memory
     *                                  budget stayed full (retriable; nothing written)
     */
    void write(String group, String measure, List<DataPoint> points);

    /**
     * [S17] Runs a query (see {@link Query}) against a group.
     *
     * @throws InvalidPointException    the measure does not exist
     * @throws GroupNotServingException the group's database is not open right now (retriable)
     */
    QueryResult query(String group, Query query);

    /**
     * [S17] The series of a measure matching every matcher, through the storage's postings index:
     * their tags, sorted (see {@link Tsdb#series}).
     *
     * @throws InvalidPointException    the measure does not exist
     * @throws GroupNotServingException the group's database is not open right now (retriable)
     */
    List<Map<String, String>> series(String group, String measure, List<TagMatcher> matchers, TimeRange range);

    /**
     * [S17] The distinct non-empty values of a tag among those series, sorted (see {@link Tsdb#tagValues}).
     *
     * @throws InvalidPointException    the measure does not exist
     * @throws GroupNotServingException the group's database is not open right now (retriable)
     */
    List<String> tagValues(String group, String measure, String tag, List<TagMatcher> matchers, TimeRange range);

    /** Every group of the registry on this node: serving, portable or failed with the reason. */
    List<GroupStatus> status();

    /**
     * [R11] Whether this node serves every group with its storage (the state behind HTTP
     * {@code /-/ready} and {@code banyan:status}); see {@code SchemaRepository.readiness()}. While
     * this service is not registered, the node is not ready either.
     *
     * @since 1.1
     */
    Readiness readiness();

    /**
     * [S13a] The timestamps a write to {@code group} accepts right now (epoch ms, half-open), the same
     * for every measure of the group: see {@link Tsdb#acceptedTimestamps}. Protocols that store one
     * request as several measures' writes check their points against it before writing any.
     *
     * @throws GroupNotServingException if the group is not serving on this node
     * @since 1.2
     */
    TimeRange acceptedTimestamps(String group);
}
