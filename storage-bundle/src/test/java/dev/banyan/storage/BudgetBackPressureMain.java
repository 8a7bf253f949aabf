package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.StorageBusyException;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.EngineSettings;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * Child JVM for {@link MemoryBudgetTest}, run where file permissions apply: two groups' shards
 * become read-only, so the memtables the budget seals there cannot be flushed and hold the whole
 * 4 MiB budget; a third group's write then waits the stall timeout and is refused with a
 * retriable {@link StorageBusyException}, nothing written. Once the modes are restored the flushes
 * are retried, the memory comes back and the third group's writes succeed, no restart. Prints
 * {@code PASS}.
 */
public final class BudgetBackPressureMain {

    static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    static final long LIMIT = 4L << 20;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        EngineSettings settings = EngineSettings.defaults().withMemtableBudgetBytes(LIMIT)
                .withWriteStallTimeout(Duration.ofSeconds(1));
        long t0 = local(2024, 1, 1, 0, 0, 0);
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), settings);
                Tsdb a1 = engine.open("a1", OPTIONS); Tsdb a2 = engine.open("a2", OPTIONS); Tsdb b = engine.open("b", OPTIONS)) {
            BatchLedger ledgerA1 = new BatchLedger(t0, 50, 100);
            BatchLedger ledgerA2 = new BatchLedger(t0, 50, 100);
            BatchLedger ledgerB = new BatchLedger(t0, 50, 100);
            Path shardA1 = fillUntilSealedUnflushable(a1, ledgerA1, root.resolve("a1"));
            Path shardA2 = fillUntilSealedUnflushable(a2, ledgerA2, root.resolve("a2"));
            assertTrue("unflushable memtables hold the budget: " + engine.memoryBudget().usedBytes(),
                    engine.memoryBudget().usedBytes() >= LIMIT);
            TsdbHealth health = a1.health();
            assertTrue(health.toString(), health.state() == TsdbHealth.State.DEGRADED && health.problems().stream()
                    .anyMatch(p -> p.message().contains("cannot flush") && p.message().contains("Permission denied")));

            long refusalsBefore = engine.memoryBudget().refusals();
            long started = System.nanoTime();
            try {
                ledgerB.write(b, 0);
                fail("a write went through a full memory budget");
            } catch (StorageBusyException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("memory budget") && e.getMessage().contains("retry"));
                assertTrue("waited the stall timeout first", System.nanoTime() - started >= Duration.ofMillis(900).toNanos());
            }
            assertEquals(refusalsBefore + 1, engine.memoryBudget().refusals());

            Files.setPosixFilePermissions(shardA1, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(shardA2, PosixFilePermissions.fromString("rwx------"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (int n = 1; n < 6; n++) {
                while (true) {
                    try {
                        ledgerB.write(b, n);
                        break;
                    } catch (StorageBusyException e) {
                        if (System.nanoTime() > deadline) {
                            throw e;
                        }
                    }
                }
            }
            for (Tsdb db : List.of(a1, a2, b)) {
                db.flush();
            }
            ledgerA1.verify(a1, "a1 after the modes were restored");
            ledgerA2.verify(a2, "a2 after the modes were restored");
            ledgerB.verify(b, "b after the modes were restored");
        }
        System.out.println("PASS");
    }

    /**
     * Writes into {@code db} with its shard read-only until the budget seals the memtable (its
     * flush then fails) and the next write cannot start a log. @return the shard dir
     */
    private static Path fillUntilSealedUnflushable(Tsdb db, BatchLedger ledger, Path groupDir) throws Exception {
        ledger.write(db, 0);
        Path shard;
        try (Stream<Path> files = Files.walk(groupDir)) {
            shard = files.filter(p -> p.getFileName().toString().equals("shard-0")).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(shard, PosixFilePermissions.fromString("r-x------"));
        for (int n = 1; n < 1000; n++) {
            try {
                ledger.write(db, n);
            } catch (StorageException e) {
                return shard;
            }
        }
        throw new AssertionError("the budget never sealed the memtable of " + db.group());
    }
}
