package dev.banyan.schema.api;

/**
 * How a group's data is laid out.
 *
 * @param shardNum        shards per segment, positive
 * @param segmentInterval the span of one time segment
 * @param ttl             how long data is kept
 */
public record ResourceOpts(int shardNum, IntervalRule segmentInterval, IntervalRule ttl) {

    void check(String object) {
        if (shardNum <= 0) {
            throw new InvalidSchemaException(object, "shardNum", "must be positive, got " + shardNum);
        }
        if (segmentInterval == null) {
            throw new InvalidSchemaException(object, "segmentInterval", "is missing");
        }
        segmentInterval.check(object, "segmentInterval");
        if (ttl == null) {
            throw new InvalidSchemaException(object, "ttl", "is missing");
        }
        ttl.check(object, "ttl");
    }
}
