package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.DAILY;
import static dev.banyan.storage.StorageFixture.plantSegment;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.ChildJvm;
import dev.banyan.testsupport.TreeSnapshot;

/**
 * The permanent/transient classification of open failures (docs/SEMANTICS.md, "Errors: permanent or
 * transient"). Permanent: what is already on disk and cannot change by waiting; the error names the
 * file and nothing on disk changes. Transient: what heals by waiting (a lock held by a live process,
 * permission denied, an I/O error); the same open succeeds once the cause is gone.
 */
public class ErrorClassificationTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void s2_emptyJsonMetadataIsPermanentNamingTheFile() throws Exception {
        assertPermanent("{}", "seg-20240101", "metadata");
    }

    @Test
    public void s2_truncatedJsonMetadataIsPermanentNamingTheFile() throws Exception {
        assertPermanent("{\"version\":\"1.5", "seg-20240101", "metadata");
    }

    @Test
    public void s2_unparsableEndTimeIsPermanentNamingTheFile() throws Exception {
        assertPermanent("{\"version\":\"1.5.0\",\"endTime\":\"tomorrow\"}", "seg-20240101", "metadata");
    }

    @Test
    public void s2_jsonWithoutAVersionStringIsPermanentNamingTheFile() throws Exception {
        assertPermanent("{\"version\":150}", "seg-20240101", "metadata");
    }

    @Test
    public void s11_unparsableSegmentDirNameHoldingAFileIsPermanent() throws Exception {
        assertPermanent("1.5.0", "seg-2024x101", null);
    }

    @Test
    public void s11_hourSegmentDirUnderADailyGroupIsPermanent() throws Exception {
        assertPermanent("1.5.0", "seg-2024010113", null);
    }

    /** Opens a group holding one segment with this metadata; the failure is permanent and names the file. */
    private void assertPermanent(String metadata, String segmentName, String file) throws Exception {
        Path root = tmp.getRoot().toPath();
        Path segment = plantSegment(root.resolve("g1"), segmentName, metadata, true);
        Path named = file == null ? segment : segment.resolve(file);
        List<String> before = TreeSnapshot.of(root);
        try {
            StorageFixture.engine(root).open("g1", DAILY).close();
            fail("must not open: " + metadata + " in " + segmentName);
        } catch (StorageException e) {
            assertTrue("permanent: " + e, PermanentErrors.isPermanent(e));
            assertTrue("names " + named + ": " + e.getMessage(), e.getMessage().contains(named.toString()));
        }
        assertEquals("nothing on disk changed, no lock file left", before, TreeSnapshot.of(root));
    }

    @Test
    public void s6_lockHeldByALiveProcessIsTransientAndHealsWhenItEnds() throws Exception {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        try (ChildJvm child = ChildJvm.start(LockHolderMain.class, root.toString(), "g1")) {
            child.awaitLine("LOCKED", Duration.ofSeconds(30));
            assertTransient(() -> engine.open("g1", DAILY), root.resolve("g1/lock"));
            child.kill();
        }
        engine.open("g1", DAILY).close();
    }

    @Test
    public void permissionDeniedIsTransientAndHealsWhenPermissionIsBack() throws Exception {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        Path group = Files.createDirectories(root.resolve("g1"));
        try (WriteDenied denied = WriteDenied.on(group)) {
            assertTransient(() -> engine.open("g1", DAILY), group.resolve("lock"));
        }
        try (Tsdb db = engine.open("g1", DAILY)) {
            assertTrue(db.segments().isEmpty());
        }
    }

    @Test
    public void ioErrorCreatingASegmentIsTransientAndHealsWithoutReopening() throws Exception {
        Path root = tmp.getRoot().toPath();
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            long t = StorageFixture.local(2024, 1, 1, 12, 0, 0);
            try (WriteDenied denied = WriteDenied.on(db.directory())) {
                assertTransient(() -> db.segmentFor(t), db.directory());
            }
            assertEquals("seg-20240101", db.segmentFor(t).directory().getFileName().toString());
        }
    }

    private static void assertTransient(Runnable action, Path named) {
        try {
            action.run();
            fail("must fail while the cause lasts");
        } catch (StorageException e) {
            assertFalse("transient: " + e, PermanentErrors.isPermanent(e));
            assertTrue("names " + named + ": " + e.getMessage(), e.getMessage().contains(named.toString()));
        }
    }

    /**
     * Makes a directory refuse new entries: immutable for root (which permissions do not stop), mode
     * 0500 for anyone else.
     */
    private static final class WriteDenied implements AutoCloseable {
        private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
        private final Path dir;

        private WriteDenied(Path dir) {
            this.dir = dir;
        }

        static WriteDenied on(Path dir) throws IOException, InterruptedException {
            if (ROOT) {
                chattr("+i", dir);
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
            }
            return new WriteDenied(dir);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (ROOT) {
                chattr("-i", dir);
            } else {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }

        private static void chattr(String flag, Path dir) throws IOException, InterruptedException {
            Process process = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException("chattr " + flag + " " + dir + " failed: " + output);
            }
        }
    }
}
