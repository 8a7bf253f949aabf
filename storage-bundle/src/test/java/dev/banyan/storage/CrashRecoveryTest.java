package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.ChildJvm;

/**
 * [S18] kill -9 at random moments while a child JVM writes out-of-order points in durable mode
 * into 3 shards; after each kill the store opens without repair, every acknowledged point is there
 * exactly once, nothing that was never written appears, and the batch contract holds for the
 * unacknowledged batch: the points of each (segment, shard) pair all or none. Iterations: {@code -Dbanyan.crash.iterations} (default 50); a failing run
 * can keep its data dirs with {@code -Dbanyan.crash.keep=/some/dir}.
 */
public class CrashRecoveryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test(timeout = 900_000)
    public void s18_acknowledgedWritesSurviveKillMinus9AndEachShardKeepsItsPartOfABatchWhole() throws Exception {
        int iterations = Integer.getInteger("banyan.crash.iterations", 50);
        long seed = Long.getLong("banyan.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        Path root = tmp.getRoot().toPath();
        long next = 0;
        long acknowledgedTotal = 0;
        int partlyStored = 0;
        // Acknowledged batches, as [first, last] ranges: a batch written but never acknowledged (the
        // child died mid-batch) may be partly present, and later runs start after it.
        List<long[]> acknowledged = new java.util.ArrayList<>();
        for (int iteration = 0; iteration < iterations; iteration++) {
            long first = next;
            long lastAck = first - 1;
            // Small thresholds make kills land during flushes and merges too.
            long threshold = 300 + random.nextInt(3000);
            String before = listing(root);
            String keep = System.getProperty("banyan.crash.keep");
            if (keep != null) {
                copyTree(root, Path.of(keep + "-before-" + iteration));
            }
            List<String> childOutput = List.of();
            try (ChildJvm child = ChildJvm.start(CrashWriterMain.class, root.toString(), Long.toString(first), Long.toString(threshold))) {
                child.awaitLine("OPEN", Duration.ofSeconds(60));
                Thread.sleep(random.nextInt(400));
                child.kill();
                childOutput = child.output();
                for (String line : child.output()) {
                    if (line.startsWith("ACK ")) {
                        lastAck = Math.max(lastAck, Long.parseLong(line.substring(4)));
                    }
                }
            }
            acknowledgedTotal += lastAck - first + 1;
            if (lastAck >= first) {
                acknowledged.add(new long[] {first, lastAck});
            }
            try {
                Verified verified = verify(root, first, lastAck, acknowledged, iteration, seed);
                next = verified.highest() + 1;
                if (verified.partlyStoredBatch()) {
                    partlyStored++;
                }
            } catch (AssertionError e) {
                if (keep != null) {
                    copyTree(root, Path.of(keep));
                }
                throw new AssertionError(e.getMessage() + "\nfiles before the child ran: " + before + "\nchild output (non-ACK): "
                        + childOutput.stream().filter(l -> !l.startsWith("ACK")).toList() + "\nlast lines: "
                        + childOutput.subList(Math.max(0, childOutput.size() - 4), childOutput.size()) + " of " + childOutput.size(), e);
            }
        }
        System.out.println("crash test: " + iterations + " kills, " + acknowledgedTotal + " acknowledged batches, "
                + partlyStored + " recoveries with the unacknowledged batch stored in some (segment, shard) pairs only, seed "
                + seed);
    }

    private static void copyTree(Path from, Path to) {
        try (var files = java.nio.file.Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("lock")) {
                    java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String listing(Path root) {
        try (var files = java.nio.file.Files.walk(root)) {
            return files.filter(java.nio.file.Files::isRegularFile)
                    .map(p -> root.relativize(p) + "(" + p.toFile().length() + ")").toList().toString();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Checks one recovery; finds the highest batch number present in the store. */
    private static Verified verify(Path root, long first, long lastAck, List<long[]> acknowledged, int iteration, long seed) {
        String where = "iteration " + iteration + " (seed " + seed + ", batches " + first + ".." + lastAck + " acknowledged)";
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE));
                Tsdb db = engine.open("crash", CrashWriterMain.OPTIONS)) {
            // All stored timestamps in one sorted primitive array: checks stay cheap as the store grows.
            List<SeriesRows> all = db.query(Query.of("m", TimeRange.all())).series();
            long[] stored = new long[all.stream().mapToInt(SeriesRows::size).sum()];
            int n = 0;
            for (SeriesRows series : all) {
                for (int i = 0; i < series.size(); i++) {
                    long ts = series.timestamps()[i];
                    assertEquals(where + ": value at " + ts, CrashWriterMain.valueOf(ts), series.longValue("v", i));
                    stored[n++] = ts;
                }
            }
            java.util.Arrays.sort(stored);
            for (int i = 1; i < stored.length; i++) {
                assertTrue(where + ": timestamp " + stored[i] + " appears twice", stored[i] != stored[i - 1]);
            }
            double counted = db.query(Query.of("m", TimeRange.all()).aggregate(AggregateFunction.COUNT).groupBy()).rows()
                    .stream().mapToDouble(r -> r.longValue(AggregateFunction.COUNT, "v")).sum();
            assertEquals(where + ": block statistics count each point once", stored.length, (long) counted);
            long highest = first - 1;
            for (long ts : stored) {
                long offset = ts - CrashWriterMain.BASE;
                assertTrue(where + ": point " + ts + " was never written",
                        offset >= 0 && offset % 1000 % 7 == 0 && offset % 1000 / 7 < CrashWriterMain.POINTS_PER_BATCH);
                highest = Math.max(highest, CrashWriterMain.batchOf(ts));
            }
            boolean partial = false;
            for (long batch = lastAck + 1; batch <= highest; batch++) {
                partial |= checkUnacknowledged(db, stored, batch, lastAck, where);
            }
            for (long[] range : acknowledged) {
                for (long batch = range[0]; batch <= range[1]; batch++) {
                    for (int j = 0; j < CrashWriterMain.POINTS_PER_BATCH; j++) {
                        if (java.util.Arrays.binarySearch(stored, CrashWriterMain.timestampOf(batch, j)) < 0) {
                            throw new AssertionError(where + ": acknowledged batch " + batch + " lost point " + j
                                    + " (series s" + CrashWriterMain.seriesOf(batch, j) + "); files: " + listing(root));
                        }
                    }
                }
            }
            return new Verified(Math.max(highest, lastAck), partial);
        }
    }

    private record Verified(long highest, boolean partlyStoredBatch) {
    }

    /**
     * [S18] The batch contract for a batch the writer never saw acknowledged: the points of each
     * (segment, shard) pair are stored all or none (the pairs need not agree). At most two batches
     * can be unacknowledged: the one in flight, and one that returned just before its ACK line
     * was printed, which must then be whole. @return whether the batch is stored only in part
     */
    private static boolean checkUnacknowledged(Tsdb db, long[] stored, long batch, long lastAck, String where) {
        if (batch > lastAck + 2) {
            StringBuilder counts = new StringBuilder();
            for (long b = lastAck - 1; b <= batch + 1; b++) {
                int n = 0;
                for (int j = 0; j < CrashWriterMain.POINTS_PER_BATCH; j++) {
                    n += java.util.Arrays.binarySearch(stored, CrashWriterMain.timestampOf(b, j)) >= 0 ? 1 : 0;
                }
                counts.append(" ").append(b).append(":").append(n);
            }
            throw new AssertionError(where + ": batch " + batch + " is stored, but the writer never got past batch "
                    + (lastAck + 1) + "; points stored per batch:" + counts);
        }
        java.util.Map<String, int[]> pairs = new java.util.TreeMap<>();
        int present = 0;
        for (int j = 0; j < CrashWriterMain.POINTS_PER_BATCH; j++) {
            long ts = CrashWriterMain.timestampOf(batch, j);
            long segment = db.segments().stream().filter(s -> s.startMillis() <= ts && ts < s.endMillis())
                    .mapToLong(s -> s.startMillis()).findFirst().orElse(-1);
            long shard = Math.floorMod(CrashWriterMain.series(CrashWriterMain.seriesOf(batch, j)).id(),
                    (long) CrashWriterMain.OPTIONS.shardNum());
            int[] counts = pairs.computeIfAbsent("segment " + segment + " shard " + shard, k -> new int[2]);
            counts[0]++;
            if (java.util.Arrays.binarySearch(stored, ts) >= 0) {
                counts[1]++;
                present++;
            }
        }
        for (java.util.Map.Entry<String, int[]> pair : pairs.entrySet()) {
            int[] counts = pair.getValue();
            assertTrue(where + ": unacknowledged batch " + batch + " is partly stored within one pair (" + pair.getKey() + ": "
                    + counts[1] + " of " + counts[0] + " points); every pair: " + describe(pairs),
                    counts[1] == 0 || counts[1] == counts[0]);
        }
        if (batch == lastAck + 1 && java.util.Arrays.stream(stored).anyMatch(ts -> CrashWriterMain.batchOf(ts) == batch + 1)) {
            assertEquals(where + ": batch " + (batch + 1) + " began, so batch " + batch + " had returned whole",
                    CrashWriterMain.POINTS_PER_BATCH, present);
        }
        return present > 0 && present < CrashWriterMain.POINTS_PER_BATCH;
    }

    private static String describe(java.util.Map<String, int[]> pairs) {
        StringBuilder text = new StringBuilder();
        pairs.forEach((k, v) -> text.append(k).append(": ").append(v[1]).append('/').append(v[0]).append("; "));
        return text.toString();
    }
}
