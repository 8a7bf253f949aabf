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
import java.util.stream.Stream;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.Await;

/**
 * Child JVM for {@link PermissionFaultTest}, run without the power to ignore file permissions:
 * makes a directory the engine must write into read-only, checks each write fails with a clear
 * error naming the file (never a NullPointerException) and the database reports itself degraded,
 * restores the mode and checks writes succeed again without a restart and nothing acknowledged is
 * lost. Prints {@code PASS}; any failed check exits non-zero with its message.
 * <p>
 * Scenarios: {@code shard-log} (the shard directory, so the next write-ahead log cannot be
 * created), {@code segment} (the group directory, so a new segment cannot be created).
 */
public final class PermissionFaultMain {

    static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    static final long T0 = local(2024, 1, 1, 0, 0, 0);

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String scenario = args[1];
        BatchLedger ledger = new BatchLedger(T0, 5, 20);
        BatchLedger later = new BatchLedger(T0 + Duration.ofDays(2).toMillis(), 5, 20);
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE));
                Tsdb db = engine.open("g", OPTIONS)) {
            ledger.write(db, 0);
            db.flush(); // the log is gone: the next write must create one
            Path locked = scenario.equals("shard-log") ? shardDir(root) : root.resolve("g");
            BatchLedger target = scenario.equals("shard-log") ? ledger : later;
            String file = scenario.equals("shard-log") ? "wal-" : "seg-";
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
            for (int n = 1; n <= 2; n++) {
                try {
                    target.write(db, n);
                    fail("write " + n + " into read-only " + locked + " succeeded");
                } catch (StorageException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("Permission denied"));
                    assertTrue(e.getMessage(), e.getMessage().contains(locked.toString()) && e.getMessage().contains(file));
                }
            }
            TsdbHealth health = db.health();
            assertEquals(health.toString(), TsdbHealth.State.DEGRADED, health.state());
            assertTrue(health.toString(), health.problems().stream()
                    .anyMatch(p -> p.path().startsWith(locked) && p.message().contains("Permission denied")));

            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
            for (int n = 3; n < 6; n++) {
                target.write(db, n);
            }
            Await.until("health back to OK", Duration.ofSeconds(60), () -> db.health().state() == TsdbHealth.State.OK);
            ledger.verify(db, "after the mode was restored");
            later.verify(db, "after the mode was restored");
        }
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE));
                Tsdb db = engine.open("g", OPTIONS)) {
            ledger.verify(db, "after a restart");
            later.verify(db, "after a restart");
        }
        System.out.println("PASS");
    }

    private static Path shardDir(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root.resolve("g"))) {
            return files.filter(p -> p.getFileName().toString().equals("shard-0")).findFirst().orElseThrow();
        }
    }
}
