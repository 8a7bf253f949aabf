package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.Await;

/**
 * [S18] Damage a background merge meets in a part is named (file and offset) in the database's
 * health and the log, the part is quarantined (left in place, excluded from merges, reported as a
 * permanent problem), and the shard keeps taking writes and merging its other parts: never a
 * silently stuck shard.
 */
public class MergeCorruptionTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TsdbEngine engine() {
        return new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 1_000_000);
    }

    /** Batch n becomes part n+1: one flush per batch. */
    private static void writeParts(Tsdb db, BatchLedger ledger, int from, int to) {
        for (int n = from; n < to; n++) {
            ledger.write(db, n);
            db.flush();
        }
    }

    private static List<Path> parts(Path shard) throws IOException {
        try (Stream<Path> files = Files.list(shard)) {
            return files.filter(p -> p.getFileName().toString().matches("part-\\d+\\.bin")).sorted().toList();
        }
    }

    private Path shardDir() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.getRoot().toPath())) {
            return files.filter(p -> p.getFileName().toString().equals("shard-0")).findFirst().orElseThrow();
        }
    }

    private static TsdbHealth.Problem awaitPermanentProblem(Tsdb db, Path part) throws InterruptedException {
        Await.until("a permanent problem naming " + part, WAIT, () -> db.health().problems().stream()
                .anyMatch(p -> p.permanent() && p.message().contains(part.toString())));
        assertEquals(TsdbHealth.State.FAILED, db.health().state());
        return db.health().problems().stream().filter(p -> p.message().contains(part.toString())).findFirst().orElseThrow();
    }

    /** The shard still takes writes and merges its healthy parts around the quarantined one. */
    private static void assertShardNotStuck(Tsdb db, BatchLedger ledger, Path shard, Path damaged, int damagedBatch)
            throws Exception {
        writeParts(db, ledger, 9, 20);
        // 20 parts were flushed; the runs on either side of the quarantined part merge on their own
        // (never across it), so at most 8 + 1 + 8 files stay.
        Await.until("the healthy parts are merged: " + db.health(), WAIT, () -> {
            try {
                return parts(shard).size() <= 2 * 8 + 1;
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue("the damaged part is left in place for the operator", Files.exists(damaged));
        // Every batch but the damaged one reads back; the damaged one fails naming the file.
        long damagedStart = T0 + damagedBatch * 100_000L;
        BatchLedger readable = new BatchLedger(T0, 10, 50);
        readable.acknowledged.addAll(ledger.acknowledged);
        readable.acknowledged.remove(damagedBatch);
        for (int n : readable.acknowledged) {
            long from = T0 + n * 100_000L;
            assertEquals("batch " + n, 500, db.query(Query.of("m", new TimeRange(from, from + 100_000L))).series().stream()
                    .mapToInt(s -> s.size()).sum());
        }
        try {
            db.query(Query.of("m", new TimeRange(damagedStart, damagedStart + 100_000L)));
            fail("the damaged part was read as if intact");
        } catch (CorruptSegmentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(damaged.toString()));
        }
    }

    /** How a test damages a part file. */
    private interface Damage {
        void apply(RandomAccessFile part) throws IOException;
    }

    /**
     * Writes 8 parts, damages the one at {@code index}, writes a ninth (which starts a merge) and
     * checks the damage is reported, with {@code offsetFragment} in the message, and quarantined.
     */
    private void damageThenMerge(int index, Damage damage, String offsetFragment) throws Exception {
        BatchLedger ledger = new BatchLedger(T0, 10, 50);
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", OPTIONS)) {
            writeParts(db, ledger, 0, 8);
            Path shard = shardDir();
            Path damaged = parts(shard).get(index);
            try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
                damage.apply(file);
            }
            writeParts(db, ledger, 8, 9); // the ninth part starts a merge
            TsdbHealth.Problem problem = awaitPermanentProblem(db, damaged);
            assertTrue(problem.toString(), problem.message().contains(offsetFragment));
            assertShardNotStuck(db, ledger, shard, damaged, index);
        }
    }

    @Test(timeout = 180_000)
    public void s18_flippedByteMetByMergeIsNamedAndQuarantinedNotLatched() throws Exception {
        damageThenMerge(2, file -> {
            file.seek(10);
            int b = file.read();
            file.seek(10);
            file.write(b ^ 0x5A);
        }, "block checksum mismatch at offset 4");
    }

    @Test(timeout = 180_000)
    public void s18_truncatedPartMetByMergeIsNamedAndQuarantinedNotLatched() throws Exception {
        // Cut under the open (memory-mapped) part: reading it would fault.
        damageThenMerge(4, file -> file.setLength(0), "data from offset 0 on is missing");
    }
}
