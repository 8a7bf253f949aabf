package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.Await;

/**
 * [S9][S18] Closing while writers keep writing (what a bundle update or a shutdown does): once close
 * has begun, new writes are refused, writes already under way finish first, and afterwards no file
 * under the data root is open and every acknowledged point is there, none more.
 */
public class CloseUnderWritesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Hourly segments and a tiny flush threshold: writers keep creating segments, shards, logs and parts. */
    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.hours(1), IntervalRule.days(3650), 2)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    private static final long T0 = StorageFixture.local(2024, 1, 1, 0, 0, 0);
    private static final int WRITERS = 4;
    private static final int BATCH = 20;

    @Test
    public void s9_closeUnderConcurrentWritersLeavesNothingOpenAndLosesNoAcknowledgedPoint() throws Exception {
        Path root = tmp.getRoot().toPath().toRealPath();
        for (int round = 0; round < 5; round++) {
            String group = "g" + round;
            AtomicLong[] acknowledged = new AtomicLong[WRITERS];
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 50)) {
                Tsdb db = engine.open(group, OPTIONS);
                for (int w = 0; w < WRITERS; w++) {
                    AtomicLong acked = acknowledged[w] = new AtomicLong();
                    SeriesRef series = SeriesRef.of("cpu", Map.of("host", "writer_" + w), Map.of());
                    Thread writer = new Thread(() -> write(db, series, acked, unexpected), "writer-" + w);
                    writers.add(writer);
                    writer.start();
                }
                Await.until("every writer acknowledged", Duration.ofSeconds(30),
                        () -> Stream.of(acknowledged).allMatch(a -> a.get() >= 10 * BATCH));
                db.close();
                for (Thread writer : writers) {
                    writer.join(30_000);
                }
            }
            if (unexpected.get() != null) {
                throw new AssertionError("round " + round + ": a writer failed other than by the close", unexpected.get());
            }
            List<String> open = openFilesUnder(root);
            assertTrue("round " + round + ": " + open.size() + " files under the data root still open, e.g. "
                    + open.subList(0, Math.min(5, open.size())), open.isEmpty());
            try (TsdbEngine engine = new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 50);
                    Tsdb db = engine.open(group, OPTIONS)) {
                for (int w = 0; w < WRITERS; w++) {
                    List<SeriesRows> rows = db.query(Query.of("cpu", new TimeRange(T0, Long.MAX_VALUE)).where("host", "writer_" + w))
                            .series();
                    long stored = rows.stream().mapToLong(SeriesRows::size).sum();
                    assertEquals("round " + round + ", writer " + w + ": stored = acknowledged", acknowledged[w].get(), stored);
                }
            }
        }
    }

    /** Writes batches of consecutive minutes until the database refuses; counts what was acknowledged. */
    private static void write(Tsdb db, SeriesRef series, AtomicLong acknowledged, AtomicReference<Throwable> unexpected) {
        try {
            while (true) {
                WriteBatch batch = new WriteBatch("cpu", VALUE, BATCH);
                long first = acknowledged.get();
                for (int i = 0; i < BATCH; i++) {
                    batch.add(series, T0 + (first + i) * 60_000L, (double) (first + i));
                }
                db.write(batch);
                acknowledged.addAndGet(BATCH);
            }
        } catch (StorageException e) {
            if (!db.isClosed()) {
                unexpected.set(e);
            }
        } catch (Throwable t) {
            unexpected.set(t);
        }
    }

    /** This JVM's open file descriptors that point under {@code root}, read from /proc/self/fd. */
    static List<String> openFilesUnder(Path root) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(root)) {
                        open.add(target.toString());
                    }
                } catch (IOException e) {
                    // closed between listing and reading: not open any more
                }
            }
        }
        return open;
    }
}
