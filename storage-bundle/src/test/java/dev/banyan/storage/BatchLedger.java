package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.WriteBatch;

/**
 * Numbered test batches of measure {@code m} (one LONG field {@code v}) whose every value derives
 * from its timestamp, and which of them were acknowledged or refused, so a test can check that
 * every acknowledged point is stored exactly once, a refused batch is stored wholly or not at all
 * (one shard), and nothing else appears.
 */
final class BatchLedger {

    static final List<FieldDef> FIELDS = List.of(FieldDef.ofLong("v"));
    private final long base;
    private final int series;
    private final int pointsPerSeries;
    final TreeSet<Integer> acknowledged = new TreeSet<>();
    final TreeSet<Integer> refused = new TreeSet<>();

    BatchLedger(long base, int series, int pointsPerSeries) {
        if (series > 100 || pointsPerSeries > 1000) {
            throw new IllegalArgumentException("at most 100 series and 1000 points per series");
        }
        this.base = base;
        this.series = series;
        this.pointsPerSeries = pointsPerSeries;
    }

    static SeriesRef series(int s) {
        return SeriesRef.of("m", "s", "s" + s);
    }

    long timestamp(int batch, int s, int j) {
        return base + batch * 100_000L + j * 100L + s;
    }

    static long valueOf(long timestamp) {
        return timestamp * 31 + 17;
    }

    int pointsPerBatch() {
        return series * pointsPerSeries;
    }

    WriteBatch batch(int n) {
        WriteBatch batch = new WriteBatch("m", FIELDS, pointsPerBatch());
        for (int j = 0; j < pointsPerSeries; j++) {
            for (int s = 0; s < series; s++) {
                long ts = timestamp(n, s, j);
                batch.add(series(s), ts, valueOf(ts));
            }
        }
        return batch;
    }

    /** Writes batch {@code n}, recording the outcome; a refusal is rethrown for the test to inspect. */
    void write(Tsdb db, int n) {
        try {
            db.write(batch(n));
            acknowledged.add(n);
        } catch (StorageException e) {
            refused.add(n);
            throw e;
        }
    }

    /** Asserts the store holds every acknowledged batch, each refused one wholly or not at all, and nothing else. */
    void verify(Tsdb db, String when) {
        Map<Integer, Integer> present = new HashMap<>();
        TreeSet<Long> seen = new TreeSet<>();
        long end = base + (Math.max(acknowledged.isEmpty() ? 0 : acknowledged.last(), refused.isEmpty() ? 0 : refused.last()) + 1)
                * 100_000L;
        for (SeriesRows rows : db.query(Query.of("m", new TimeRange(base, end))).series()) {
            for (int i = 0; i < rows.size(); i++) {
                long ts = rows.timestamps()[i];
                assertEquals(when + ": value at " + ts, valueOf(ts), rows.longValue("v", i));
                assertTrue(when + ": " + ts + " stored twice", seen.add(ts));
                int batch = (int) ((ts - base) / 100_000L);
                assertTrue(when + ": point " + ts + " of batch " + batch + " was never written",
                        acknowledged.contains(batch) || refused.contains(batch));
                present.merge(batch, 1, Integer::sum);
            }
        }
        for (int n : acknowledged) {
            assertEquals(when + ": acknowledged batch " + n, pointsPerBatch(), (int) present.getOrDefault(n, 0));
        }
        for (int n : refused) {
            int count = present.getOrDefault(n, 0);
            assertTrue(when + ": refused batch " + n + " is partly stored (" + count + " points)",
                    count == 0 || count == pointsPerBatch());
        }
    }
}
