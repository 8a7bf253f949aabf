package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.Await;

/**
 * [S18] A transient I/O fault (a full disk) fails the writes or flushes it hits with an error naming
 * the file, shows the shard as degraded meanwhile, and heals without a restart once space is back;
 * no acknowledged point is lost or duplicated on the way. Runs on a real 24 MiB tmpfs (needs root).
 */
public class IoFaultTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false);
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);
    private static final Duration HEAL = Duration.ofSeconds(60);

    private static TsdbEngine engine(Path root) {
        return new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 1_000_000);
    }

    private static void assertDegradedNaming(Tsdb db, String fragment) {
        TsdbHealth health = db.health();
        assertEquals("health while the disk is full: " + health, TsdbHealth.State.DEGRADED, health.state());
        assertTrue("health names the failure: " + health,
                health.problems().stream().anyMatch(p -> p.message().contains(fragment) && !p.permanent()));
    }

    private static void assertNamesFileAndCause(StorageException e, String file) {
        assertTrue(e.getMessage(), e.getMessage().contains("No space left on device"));
        assertTrue(e.getMessage(), e.getMessage().contains(file));
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertTrue("no NullPointerException reaches a caller: " + e, !(t instanceof NullPointerException));
        }
    }

    private static void verifyAfterRestart(Path root, BatchLedger ledger) {
        try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g", OPTIONS)) {
            ledger.verify(db, "after a restart");
        }
    }

    @Test(timeout = 180_000)
    public void s18_fullDiskFailsWritesNamingTheLogAndHealsWithoutRestart() throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.newFolder("small").toPath(), 24)) {
            Path root = fs.dir().resolve("data");
            BatchLedger ledger = new BatchLedger(T0, 10, 100);
            try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g", OPTIONS)) {
                ledger.write(db, 0);
                fs.fill();
                StorageException refusal = null;
                for (int n = 1; n <= 50 && refusal == null; n++) {
                    try {
                        ledger.write(db, n);
                    } catch (StorageException e) {
                        refusal = e;
                    }
                }
                assertTrue("a write on a full disk fails", refusal != null);
                assertNamesFileAndCause(refusal, "wal-");
                assertDegradedNaming(db, "No space left on device");
                int failing = ledger.refused.last() + 1;
                try {
                    ledger.write(db, failing);
                    fail("the disk is still full");
                } catch (StorageException e) {
                    assertNamesFileAndCause(e, "wal-");
                }

                fs.free();
                for (int n = failing + 1; n < failing + 6; n++) {
                    ledger.write(db, n);
                }
                Await.until("health back to OK", HEAL, () -> db.health().state() == TsdbHealth.State.OK);
                ledger.verify(db, "after the disk was freed");
            }
            verifyAfterRestart(root, ledger);
        }
    }

    @Test(timeout = 180_000)
    public void s18_fullDiskFailsFlushNamingThePartAndHealsWithoutRestart() throws Exception {
        try (SmallFilesystem fs = SmallFilesystem.mount(tmp.newFolder("small").toPath(), 24)) {
            Path root = fs.dir().resolve("data");
            BatchLedger ledger = new BatchLedger(T0, 10, 100);
            try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g", OPTIONS)) {
                for (int n = 0; n < 20; n++) {
                    ledger.write(db, n);
                }
                fs.fill();
                try {
                    db.flush();
                    fail("a flush on a full disk succeeded");
                } catch (StorageException e) {
                    assertNamesFileAndCause(e, "part-");
                }
                assertDegradedNaming(db, "No space left on device");

                fs.free();
                Await.until("the failed flush is retried and health is OK", HEAL, () -> db.health().state() == TsdbHealth.State.OK);
                for (int n = 20; n < 25; n++) {
                    ledger.write(db, n);
                }
                db.flush();
                ledger.verify(db, "after the disk was freed");
            }
            verifyAfterRestart(root, ledger);
        }
    }
}
