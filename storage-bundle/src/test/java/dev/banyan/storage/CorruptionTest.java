package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static dev.banyan.storage.DiskDamage.flip;
import static dev.banyan.storage.DiskDamage.only;
import static dev.banyan.storage.DiskDamage.truncate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IncompatibleVersionException;
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
import dev.banyan.testsupport.TreeSnapshot;

/** Truncated or flipped bytes in each file type: recovery to the last consistent state, or an error naming file and offset. */
public class CorruptionTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false);
    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("value"));
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);
    private static final SeriesRef SERIES = SeriesRef.of("cpu", "host", "h1");

    private TsdbEngine engine(Path root) {
        return new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 1_000_000);
    }

    private static void writeBatches(Tsdb db, int batches) {
        for (int b = 0; b < batches; b++) {
            WriteBatch batch = new WriteBatch("cpu", FIELDS, 10);
            for (int i = 0; i < 10; i++) {
                batch.add(SERIES, T0 + (b * 10 + i) * 1000L, b * 10 + i + 0.5);
            }
            db.write(batch);
        }
    }

    /** A crashed store: what an fsync'd, still-open database leaves on disk (logs, no parts). */
    private Path crashedStore(int batches) throws IOException {
        Path live = tmp.newFolder("live").toPath();
        Path crashed = tmp.newFolder("crashed").toPath();
        try (TsdbEngine engine = engine(live); Tsdb db = engine.open("g1", OPTIONS)) {
            writeBatches(db, batches);
            DiskDamage.copyTree(live, crashed);
        }
        return crashed;
    }

    private Path closedStore(int batches) throws IOException {
        Path root = tmp.newFolder("closed").toPath();
        try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g1", OPTIONS)) {
            writeBatches(db, batches);
        }
        return root;
    }

    private List<SeriesRows> readAll(Path root) {
        try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g1", OPTIONS)) {
            return db.query(Query.of("cpu", TimeRange.all())).series();
        }
    }

    @Test(timeout = 60_000)
    public void s18_crashedStoreReplaysItsLog() throws Exception {
        assertEquals(50, readAll(crashedStore(5)).get(0).size());
    }

    @Test(timeout = 60_000)
    public void walTruncatedInTheLastRecordRecoversToTheLastCompleteBatch() throws Exception {
        Path root = crashedStore(5);
        Path wal = only(root, "wal-");
        truncate(wal, Files.size(wal) - 3);
        SeriesRows rows = readAll(root).get(0);
        assertEquals("four complete batches", 40, rows.size());
        assertEquals(39.5, rows.doubleValue("value", 39), 0);
    }

    @Test(timeout = 60_000)
    public void walFlippedBeforeIntactRecordsIsRefusedNamingFileAndOffset() throws Exception {
        Path root = crashedStore(5);
        Path wal = only(root, "wal-");
        flip(wal, 40);
        List<String> before = dataFiles(root);
        try {
            readAll(root);
            fail("corrupt log opened");
        } catch (CorruptSegmentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(wal.toString()));
            assertTrue(e.getMessage(), e.getMessage().contains("offset 0"));
        }
        assertEquals("the log is kept as it is for the operator", before, dataFiles(root));
    }

    @Test(timeout = 60_000)
    public void partBlockFlippedIsReportedWithFileAndOffsetNeverAsWrongData() throws Exception {
        Path root = closedStore(5);
        Path part = only(root, "part-");
        flip(part, 12);
        try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g1", OPTIONS)) {
            try {
                db.query(Query.of("cpu", TimeRange.all()));
                fail("a damaged block was decoded");
            } catch (CorruptSegmentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(part.toString()));
                assertTrue(e.getMessage(), e.getMessage().contains("block checksum mismatch at offset 4"));
            }
            // Statistics live in the (intact, checksummed) index: aggregates over whole blocks stay correct.
            double count = db.query(Query.of("cpu", TimeRange.all()).aggregate(AggregateFunction.COUNT).groupBy()).rows()
                    .get(0).longValue(AggregateFunction.COUNT, "value");
            assertEquals(50, count, 0);
        }
    }

    @Test(timeout = 60_000)
    public void partIndexFlippedOrPartTruncatedRefusesToOpenNamingTheFile() throws Exception {
        Path root = closedStore(5);
        Path part = only(root, "part-");
        long size = Files.size(part);
        flip(part, size - 30);
        expectOpenFailure(root, part, "checksum mismatch");
        flip(part, size - 30);
        truncate(part, size / 2);
        expectOpenFailure(root, part, "no valid header or footer");
        truncate(part, 7);
        expectOpenFailure(root, part, "part file truncated to 7 bytes");
    }

    @Test(timeout = 60_000)
    public void segmentMetadataTruncatedOrFlippedIsRefusedNamingTheSegment() throws Exception {
        Path root = closedStore(1);
        Path metadata = only(root, "metadata");
        String original = Files.readString(metadata);
        truncate(metadata, 0);
        try {
            readAll(root);
            fail("empty metadata");
        } catch (IncompatibleVersionException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(metadata.getParent().toString()));
        }
        Files.writeString(metadata, original.substring(0, original.length() / 2));
        try {
            readAll(root);
            fail("truncated metadata");
        } catch (StorageException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(metadata.toString()));
        }
        Files.writeString(metadata, original.replace("1.5.0", "1.5.1"));
        try {
            readAll(root);
            fail("altered version");
        } catch (IncompatibleVersionException e) {
            assertEquals("1.5.1", e.foundVersion());
        }
    }

    /** Everything but the lock file, which a failed open removes by design [S8]. */
    private static List<String> dataFiles(Path root) throws IOException {
        return TreeSnapshot.of(root).stream().filter(line -> !line.startsWith("g1/lock")).toList();
    }

    private void expectOpenFailure(Path root, Path part, String fragment) {
        try {
            readAll(root);
            fail("damaged part opened");
        } catch (CorruptSegmentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(part.toString()));
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }
}
