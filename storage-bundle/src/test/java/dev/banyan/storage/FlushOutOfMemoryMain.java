package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.EngineSettings;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.Await;

/**
 * Child JVM for {@link MemoryBudgetTest}: something else in the process (here: a ballast) takes
 * the whole heap just as a memtable is sealed, so its background flush meets an
 * {@link OutOfMemoryError}. Checks the error shows in the database's health instead of killing
 * the flush thread, and that the flush succeeds once memory is back, with every point kept.
 * Prints {@code PASS}; a failed check exits non-zero.
 */
public final class FlushOutOfMemoryMain {

    static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        BatchLedger ledger = new BatchLedger(local(2024, 1, 1, 0, 0, 0), 1, 1000);
        EngineSettings settings = EngineSettings.defaults().withFlushThresholdPoints(10_000);
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), settings);
                Tsdb db = engine.open("g", OPTIONS)) {
            for (int n = 0; n < 9; n++) {
                ledger.write(db, n);
            }
            List<byte[]> ballast = new ArrayList<>();
            try {
                while (true) {
                    ballast.add(new byte[64 << 10]);
                }
            } catch (OutOfMemoryError full) {
                // Leave room for the write and the health checks below, not for the flush's buffers.
                for (int i = 0; i < 20 && !ballast.isEmpty(); i++) {
                    ballast.remove(ballast.size() - 1);
                }
            }
            // The tenth batch reaches the flush threshold: sealed, flushed in the background. With the
            // heap this full this thread may meet the error too; a retried batch is idempotent.
            retryingOutOfMemory(() -> ledger.write(db, 9));
            Await.until("the flush's OutOfMemoryError in the health", Duration.ofSeconds(60), () -> {
                try {
                    return db.health().problems().stream().anyMatch(p -> p.message().contains("OutOfMemoryError"));
                } catch (OutOfMemoryError e) {
                    return false;
                }
            });
            TsdbHealth health = db.health();
            ballast.clear();
            System.out.println("HEALTH " + health);
            assertTrue(health.toString(), health.state() == TsdbHealth.State.DEGRADED);
            Await.until("the flush retried with memory back", Duration.ofSeconds(60),
                    () -> db.health().state() == TsdbHealth.State.OK);
            ledger.verify(db, "after the flush recovered");
        }
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE));
                Tsdb db = engine.open("g", OPTIONS)) {
            ledger.verify(db, "after a restart");
        }
        System.out.println("PASS");
    }

    private static void retryingOutOfMemory(Runnable action) throws InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                action.run();
                return;
            } catch (OutOfMemoryError e) {
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
