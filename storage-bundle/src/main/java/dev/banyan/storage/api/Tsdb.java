package dev.banyan.storage.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/** The open database of one group: time segments, each holding {@code shardNum} shards. */
@ProviderType
public interface Tsdb extends AutoCloseable {

    String group();

    Path directory();

    TsdbOptions options();

    /**
     * [S15] Applies new options at runtime. Interval num, TTL, shard count and the maintenance
     * switches may change; the segment interval unit may not (segment dir names depend on it).
     */
    void updateOptions(TsdbOptions options);

    /** [S7] All segments in ascending start order. */
    List<SegmentInfo> segments();

    /** The segments overlapping {@code range}, in ascending start order. */
    List<SegmentInfo> segments(TimeRange range);

    /**
     * [S12] The segment holding {@code timestampMillis}, created (crash-atomically) if none does.
     *
     * @throws StorageException {@code invalid segment timestamp} for a timestamp outside the
     *                          {@linkplain Timestamps supported range} (for example &lt;= 0),
     *                          {@code database is closed} after {@link #close()}
     */
    SegmentInfo segmentFor(long timestampMillis);

    /**
     * [S13][S13a][S14] Runs maintenance as of {@code nowMillis}, the engine clock's wall time (never a
     * point's timestamp: every write ticks with the engine's clock): creates the next segment ahead of
     * time once {@code nowMillis} falls in the last hour of the segment holding it, and deletes
     * expired segments. A tick less than 10 minutes after (or before) the last accepted one is ignored;
     * a tick more than 10 minutes before it (the clock was set back) is accepted.
     */
    void tick(long nowMillis);

    /** [S14] Deletes every segment whose end is at or before {@code nowMillis - ttl}, if retention is enabled. */
    void applyRetention(long nowMillis);

    /**
     * [S16][S18] Writes a batch: each point goes to the segment of its time (created if needed)
     * and the shard of its series. Returns once every point is stored and as durable as
     * {@link TsdbOptions#durability()} says, then {@linkplain #tick(long) ticks} with the engine's clock.
     * A measure's fields may grow: the batch may append fields to those the measure was written
     * with; earlier points lack them (absent, see {@link SeriesRows#isPresent}).
     * <p>
     * [S12][S13a] Accepted timestamps (epoch ms): within the {@linkplain Timestamps supported range},
     * at most the engine's {@code maxFutureMinutes} (default 2 days) ahead of the engine's clock, and,
     * while retention is enabled, no older than {@code now - ttl} (an older point would be deleted by
     * the next retention right after being acknowledged).
     * <p>
     * The batch contract ({@code docs/SEMANTICS.md}, "Batch contract"):
     * <ul>
     * <li>A batch refused before anything is written writes nothing: a timestamp outside the accepted
     * window, a batch that drops, reorders or retypes a field the measure has, a limit
     * ({@code WriteLimits}: at most 1,000,000 points, and the points must fit one 256 MiB log record),
     * or a full memory budget ({@link StorageBusyException}).</li>
     * <li>Past that, the points of each (segment, shard) pair are one write-ahead-log record,
     * stored all or nothing, also across a crash. The pairs are not atomic together: if this
     * method throws (an I/O error) or the process dies before it returns, any subset of the pairs
     * may be stored, each whole. Queries running meanwhile may see some pairs and not others.</li>
     * <li>Retrying a batch that failed, unchanged, is safe: a point with the series and timestamp
     * of a stored point replaces it (last write wins), so a retry neither duplicates nor loses
     * anything. Retry before writing newer values for the same series and timestamps.</li>
     * </ul>
     *
     * @throws PointRejectedException naming the first point outside the accepted window and the window
     * @throws StorageException        naming the point, field, limit or file; {@code database is closed}
     * @throws StorageBusyException    the memory budget stayed full for the write stall timeout
     */
    void write(WriteBatch batch);

    /**
     * [S12][S13a] The timestamps {@link #write} accepts right now, as a half-open range of epoch ms:
     * from {@code now - ttl} (while retention is enabled; else the start of the supported range) to
     * {@code maxFutureMinutes} ahead of the engine's clock, inclusive. For callers that write one
     * request as several batches and must refuse it whole before writing any of them; the window
     * moves with the clock, so a write may still refuse a point at the edge.
     *
     * @since 2.1
     */
    TimeRange acceptedTimestamps();

    /** [S17] Reads a measure; see {@link Query}. */
    QueryResult query(Query query);

    /**
     * [S17] The series of {@code measure} satisfying every matcher, found through the postings index
     * (tag value to series ids), never by reading points: their tags (entity and others, the latest
     * written values), sorted by tags. A series counts when a segment overlapping {@code range} holds
     * it, so a series may be listed whose points in that segment all lie outside the range (the same
     * block granularity Prometheus's series listing has).
     */
    List<Map<String, String>> series(String measure, List<TagMatcher> matchers, TimeRange range);

    /**
     * [S17] The distinct, non-empty values of {@code tag} among the series {@link #series} would
     * list, sorted; through the postings index.
     */
    List<String> tagValues(String measure, String tag, List<TagMatcher> matchers, TimeRange range);

    /**
     * [R11] Refuses, before any schema change is committed, a field list (in order) that no write of
     * {@code measure} could use given the points already stored: a stored field dropped, moved or
     * given another type. Fields appended after the stored ones are fine (older points read them as
     * absent), and so is any list for a measure never written. Reads only; admits nothing.
     *
     * @throws StorageException naming the group, the measure, its stored fields with their types, and
     *                          the field that differs with its new type
     */
    void checkFields(String measure, List<FieldDef> fields);

    /** Writes every memtable to parts now, so the write-ahead logs can be dropped. */
    void flush();

    boolean isClosed();

    /**
     * [S18] The database's current problems: background flushes and merges that failed (with the
     * error, including any {@link Error} such as {@link OutOfMemoryError}), write-ahead logs that
     * cannot be created or written, corrupt parts met by a merge or query, writes stalled by the
     * memory budget. Cheap; safe to poll.
     */
    TsdbHealth health();

    /** [S9] Idempotent: flushes memtables to parts, releases the lock and deletes the lock file. */
    @Override
    void close();
}
