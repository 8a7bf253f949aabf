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
     * @throws StorageException {@code invalid segment timestamp} for timestamps &lt;= 0,
     *                          {@code database is closed} after {@link #close()}
     */
    SegmentInfo segmentFor(long timestampMillis);

    /**
     * [S13][S14] Tells the database the newest accepted write time: may create the next segment
     * ahead of time and delete expired ones. Ticks closer than 10 minutes to the last accepted tick
     * are ignored.
     */
    void tick(long nowMillis);

    /** [S14] Deletes every segment whose end is at or before {@code nowMillis - ttl}, if retention is enabled. */
    void applyRetention(long nowMillis);

    /**
     * [S16][S18] Writes every point of the batch or none: each point goes to the segment of its time
     * (created if needed) and the shard of its series. Returns once the batch is as durable as
     * {@link TsdbOptions#durability()} says, and feeds the newest timestamp to {@link #tick(long)}.
     * A measure's fields may grow: the batch may append fields to those the measure was written
     * with; earlier points lack them (absent, see {@link SeriesRows#isPresent}).
     *
     * @throws StorageException naming the point for a timestamp &lt;= 0; naming the measure and field
     *                          for a batch that drops, reorders or retypes a field the measure has;
     *                          or {@code database is closed}
     */
    void write(WriteBatch batch);

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

    /** Writes every memtable to parts now, so the write-ahead logs can be dropped. */
    void flush();

    boolean isClosed();

    /** [S9] Idempotent: flushes memtables to parts, releases the lock and deletes the lock file. */
    @Override
    void close();
}
