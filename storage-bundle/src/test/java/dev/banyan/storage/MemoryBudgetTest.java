package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.EngineSettings;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.ChildJvm;

/**
 * [S18] Memory is bounded by configuration, not by data: under the shipped server's default heap
 * ({@code -Xmx512m}) wide (many series) and long (one huge series) inputs are written, flushed and
 * merged with the default settings; memtables of every group and shard share one budget; a full
 * budget pushes back with a retriable error; an error in a background flush (even an
 * {@link OutOfMemoryError}) shows in the health and heals.
 */
public class MemoryBudgetTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private String runUnderServerHeap(String shape) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx512m", "-XX:TieredStopAtLevel=4"), MemoryBoundWriterMain.class,
                tmp.newFolder(shape).getAbsolutePath(), shape)) {
            int status = child.awaitExit(Duration.ofMinutes(5));
            String output = String.join("\n", child.output());
            assertEquals(shape + " output:\n" + output, 0, status);
            assertTrue(output, !output.contains("OutOfMemoryError") && !output.contains("Exception"));
            System.out.println(shape + ": " + child.output().stream().filter(l -> l.startsWith("WRITTEN") || l.startsWith("DONE"))
                    .toList());
            return output;
        }
    }

    @Test(timeout = 600_000)
    public void s18_hundredThousandSeriesOfHundredPointsFitTheServersDefaultHeap() throws Exception {
        assertTrue(runUnderServerHeap("wide").contains("COUNT 10000000"));
    }

    @Test(timeout = 600_000)
    public void s18_oneSeriesOfTwentyMillionPointsFitsTheServersDefaultHeap() throws Exception {
        assertTrue(runUnderServerHeap("long").contains("COUNT 20000000"));
    }

    @Test(timeout = 300_000)
    public void s18_outOfMemoryInABackgroundFlushIsReportedAndHeals() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx64m"), FlushOutOfMemoryMain.class, tmp.newFolder().getAbsolutePath())) {
            int status = child.awaitExit(Duration.ofMinutes(3));
            String output = String.join("\n", child.output());
            assertEquals(output, 0, status);
            assertTrue(output, child.output().contains("PASS"));
        }
    }

    @Test(timeout = 300_000)
    public void s18_fullBudgetRefusesWritesWithARetriableErrorAndHealsWhenFlushesDo() throws Exception {
        UnprivilegedChild.runToPass(BudgetBackPressureMain.class, List.of("-Xmx256m"), tmp.newFolder("data").getAbsolutePath());
    }

    @Test(timeout = 300_000)
    public void s18_memtablesOfEveryGroupAndShardShareOneBudget() throws Exception {
        long limit = 8L << 20;
        EngineSettings settings = EngineSettings.defaults().withMemtableBudgetBytes(limit);
        TsdbOptions options = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 3).withRotation(false)
                .withRetention(false).withDurability(Durability.OS);
        Path root = tmp.newFolder("shared").toPath();
        List<Thread> writers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicLong peak = new AtomicLong();
        try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), settings)) {
            List<BatchLedger> ledgers = new ArrayList<>();
            List<Tsdb> dbs = new ArrayList<>();
            for (int g = 0; g < 4; g++) {
                Tsdb db = engine.open("g" + g, options);
                BatchLedger ledger = new BatchLedger(local(2024, 1, 1, 0, 0, 0), 60, 50);
                dbs.add(db);
                ledgers.add(ledger);
                writers.add(new Thread(() -> {
                    try {
                        for (int n = 0; n < 100; n++) {
                            ledger.write(db, n);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            writers.forEach(Thread::start);
            while (writers.stream().anyMatch(Thread::isAlive)) {
                peak.accumulateAndGet(engine.memoryBudget().usedBytes(), Math::max);
                Thread.sleep(1);
            }
            assertEquals(List.of(), failures);
            // The budget is checked before each batch is appended, so it can be passed by at most
            // the batches in flight: one per writer (3,000 points, well under 1 MiB each).
            assertTrue("peak " + peak + " bytes of a " + limit + "-byte budget", peak.get() <= limit + 4 * (1L << 20));
            long parts;
            try (Stream<Path> files = Files.walk(root)) {
                parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).count();
            }
            // 300,000 points per group, far below the 2,000,000-point flush threshold per shard:
            // only the shared budget makes them flush.
            assertTrue("the budget flushed memtables early: " + parts + " parts", parts > 0);
            for (int g = 0; g < dbs.size(); g++) {
                ledgers.get(g).verify(dbs.get(g), "group g" + g);
                dbs.get(g).close();
            }
        }
    }
}
