package dev.banyan.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * Child-JVM writer for crash tests: writes fsync'd batches from batch {@code first} on into a
 * 3-shard group and prints {@code ACK <n>} after each returns, until killed. Every value is derived
 * from its timestamp, so the parent can tell a real point from an invented one. Points come out of
 * order: each batch is shuffled, and batches write time regions in reverse within groups of 8
 * (batch 8k+i writes region 8k+7-i), so later batches land before earlier ones.
 */
public final class CrashWriterMain {

    static final int POINTS_PER_BATCH = 100;
    static final int SERIES = 7;
    static final long BASE = StorageFixture.local(2024, 1, 1, 0, 0, 0);
    static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.hours(6), IntervalRule.days(3650), 3)
            .withRotation(false).withRetention(false);
    static final List<FieldDef> FIELDS = List.of(FieldDef.ofLong("v"));

    static SeriesRef series(int s) {
        return SeriesRef.of("m", Map.of("s", "s" + s), Map.of());
    }

    /** Point j of batch n: its series, timestamp and value. */
    static int seriesOf(long batch, int j) {
        return (int) ((batch + j) % SERIES);
    }

    static long timestampOf(long batch, int j) {
        return BASE + region(batch) * 1000 + j * 7L;
    }

    /** The time region (second) a batch writes; its own inverse, so it also maps a region to its batch. */
    static long region(long batch) {
        return (batch & ~7L) | (7 - (batch & 7));
    }

    /** The batch a stored timestamp belongs to. */
    static long batchOf(long timestamp) {
        return region((timestamp - BASE) / 1000);
    }

    /** The order point indexes of batch n are written in: a shuffle that differs per batch. */
    static int[] order(long batch) {
        int[] order = new int[POINTS_PER_BATCH];
        for (int j = 0; j < order.length; j++) {
            order[j] = j;
        }
        java.util.Random random = new java.util.Random(batch);
        for (int j = order.length - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            int t = order[j];
            order[j] = order[k];
            order[k] = t;
        }
        return order;
    }

    static long valueOf(long timestamp) {
        return timestamp * 31 + 17;
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        long flushThreshold = Long.parseLong(args[2]);
        TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), flushThreshold);
        Tsdb db = engine.open("crash", OPTIONS);
        System.out.println("OPEN");
        WriteBatch batch = new WriteBatch("m", FIELDS, POINTS_PER_BATCH);
        for (long n = first; n < first + 1_000_000; n++) {
            batch.clear();
            for (int j : order(n)) {
                long ts = timestampOf(n, j);
                batch.add(series(seriesOf(n, j)), ts, valueOf(ts));
            }
            db.write(batch);
            System.out.println("ACK " + n);
        }
    }
}
