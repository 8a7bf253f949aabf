package dev.banyan.storage.internal.wal;

import dev.banyan.storage.api.PointRejectedException;
import dev.banyan.storage.api.WriteBatch;

/**
 * [S18] What one write may hold, checked before anything of it is written, so the engine never
 * acknowledges what its own reader would refuse after a crash (a log record above
 * {@link WriteAheadLog#MAX_RECORD} is taken for a torn tail). See {@code docs/SEMANTICS.md},
 * "Write limits".
 */
public final class WriteLimits {

    /** Points one batch may hold. */
    public static final int MAX_BATCH_POINTS = 1_000_000;
    /**
     * Bytes a point takes in a log record at most: its series index (a varint of an int, 5), its
     * timestamp delta (a zigzag varint, 10) and 8 per field.
     */
    static final int MAX_POINT_BYTES_BESIDES_FIELDS = 15;
    /** The record's two counts (varints of ints). */
    static final int RECORD_HEADER_BYTES = 10;

    private WriteLimits() {
    }

    /** The most bytes the points of a batch take in one log record, series definitions aside. */
    public static long maxPointBytes(int points, int fields) {
        return RECORD_HEADER_BYTES + (long) points * (MAX_POINT_BYTES_BESIDES_FIELDS + 8L * fields);
    }

    /**
     * @throws PointRejectedException naming the limit if the batch has too many points, or its points
     *                                alone could not fit one log record ({@code point()}: the first
     *                                point beyond the limit); the client's to fix, by splitting it
     */
    public static void check(String group, WriteBatch batch) {
        int points = batch.size();
        if (points > MAX_BATCH_POINTS) {
            throw new PointRejectedException(MAX_BATCH_POINTS, "group " + group + ": a batch of " + points
                    + " points is more than the limit of "
                    + MAX_BATCH_POINTS + " points per batch; split it (nothing of it was written)");
        }
        long bytes = maxPointBytes(points, batch.fields().size());
        if (bytes > WriteAheadLog.MAX_RECORD) {
            int fitting = (int) ((WriteAheadLog.MAX_RECORD - RECORD_HEADER_BYTES)
                    / (MAX_POINT_BYTES_BESIDES_FIELDS + 8L * batch.fields().size()));
            throw new PointRejectedException(fitting, "group " + group + ": a batch of " + points + " points with "
                    + batch.fields().size() + " fields can take " + bytes + " bytes in the write-ahead log, more than its "
                    + "record limit of " + WriteAheadLog.MAX_RECORD + " bytes (at most " + fitting + " points of this measure "
                    + "per batch); split it (nothing of it was written)");
        }
    }
}
