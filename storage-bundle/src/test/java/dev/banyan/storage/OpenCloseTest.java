package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.DAILY;
import static dev.banyan.storage.StorageFixture.local;
import static dev.banyan.storage.StorageFixture.plantSegment;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.DirectoryInUseException;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** [S1][S5][S6][S8][S9][S11]: option checks, lock discipline, close. */
public class OpenCloseTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void s5_absentIntervalOrTtlFailsBeforeAnythingIsCreated() {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        assertOpenFails(engine, DAILY.withSegmentInterval(IntervalRule.days(0)), "segment interval is absent");
        assertOpenFails(engine, DAILY.withTtl(IntervalRule.hours(0)), "ttl is absent");
        assertOpenFails(engine, DAILY.withShardNum(0), "shard number must be positive, got 0");
        assertFalse("no dir, so no lock was ever taken", Files.exists(root.resolve("g1")));
    }

    @Test
    public void s1_layoutAndPermissions() throws Exception {
        Path root = tmp.getRoot().toPath();
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            Path group = root.resolve("g1");
            assertEquals(group, db.directory());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(group.resolve("lock"))));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(group)));
            Path seg = db.segmentFor(StorageFixture.utc(2024, 1, 1, 9, 0, 0)).directory();
            assertEquals(group.resolve("seg-20240101"), seg);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seg)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(seg.resolve("metadata"))));
        }
        try (Tsdb db = StorageFixture.engine(root).open("h1", TsdbOptions.of(IntervalRule.hours(1), IntervalRule.days(1), 1))) {
            assertEquals(root.resolve("h1/seg-2024010109"), db.segmentFor(StorageFixture.utc(2024, 1, 1, 9, 59, 59)).directory());
        }
    }

    @Test
    public void s6_secondOpenInTheSameJvmFailsNamingThePath() {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        try (Tsdb first = engine.open("g1", DAILY)) {
            try {
                StorageFixture.engine(root).open("g1", DAILY);
                fail("the dir is in use");
            } catch (DirectoryInUseException e) {
                assertTrue(e.getMessage(), e.getMessage().contains(root.resolve("g1/lock").toString()));
                assertTrue(e.getMessage(), e.getMessage().contains("in use"));
            }
            assertTrue("the holder keeps its lock file", Files.exists(root.resolve("g1/lock")));
            assertFalse(first.isClosed());
        }
    }

    @Test
    public void s9_closeIsIdempotentAndRemovesTheLockFile() {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        Tsdb db = engine.open("g1", DAILY);
        db.close();
        db.close();
        assertFalse(Files.exists(root.resolve("g1/lock")));
        assertTrue(engine.get("g1").isEmpty());
        try {
            db.segmentFor(local(2024, 1, 1, 0, 0, 1));
            fail("closed");
        } catch (StorageException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("database is closed"));
        }
        engine.open("g1", DAILY).close();
    }

    @Test
    public void s11_unparsableSegmentDirFailsToLoadAndUnlocks() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path bad = plantSegment(root.resolve("g1"), "seg-2024x101", "1.5.0", false);
        try {
            StorageFixture.engine(root).open("g1", DAILY);
            fail("unparsable dir");
        } catch (StorageException e) {
            assertEquals("failed to load: " + bad, e.getMessage());
        }
        assertFalse("[S8]", Files.exists(root.resolve("g1/lock")));
        Files.move(bad, root.resolve("g1/seg-20240101"));
        StorageFixture.engine(root).open("g1", DAILY).close();
    }

    @Test
    public void s11_hourDirUnderADailyGroupFailsToLoad() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path hourly = plantSegment(root.resolve("g1"), "seg-2024010113", "1.5.0", false);
        try {
            StorageFixture.engine(root).open("g1", DAILY);
            fail("a DAY group cannot hold an HOUR segment");
        } catch (StorageException e) {
            assertEquals("failed to load (group g1: segmentInterval unit DAY does not match this segment, named for HOUR; "
                    + "the unit of a group cannot change): " + hourly, e.getMessage());
        }
    }

    @Test
    public void invalidGroupNamesAreRejectedBeforeTouchingDisk() throws Exception {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        for (String name : new String[] {"../x", "a/b", "", ".hidden", "x".repeat(65)}) {
            try {
                engine.open(name, DAILY);
                fail("accepted " + name);
            } catch (StorageException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("invalid group name"));
            }
        }
        try (var listing = Files.list(root)) {
            assertEquals(0, listing.count());
        }
    }

    private static void assertOpenFails(TsdbEngine engine, TsdbOptions options, String message) {
        try {
            engine.open("g1", options);
            fail("expected: " + message);
        } catch (StorageException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
