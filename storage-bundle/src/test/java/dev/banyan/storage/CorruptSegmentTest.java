package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.DAILY;
import static dev.banyan.storage.StorageFixture.plantSegment;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.testsupport.TreeSnapshot;

/** [S10] Better than BanyanDB: data without metadata is refused, never deleted. */
public class CorruptSegmentTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void s10_dataWithoutMetadataRefusesToOpenAndNothingOnDiskChanges() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path seg = plantSegment(root.resolve("g1"), "seg-20240101", null, true);
        plantSegment(root.resolve("g1"), "seg-20240102", "1.5.0", true);
        List<String> before = TreeSnapshot.of(root);
        try {
            StorageFixture.engine(root).open("g1", DAILY);
            fail("must refuse");
        } catch (CorruptSegmentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(seg.toString()));
            assertTrue(PermanentErrors.isPermanent(e));
        }
        assertEquals("nothing deleted, nothing left behind (not even the lock file)", before, TreeSnapshot.of(root));
    }

    @Test
    public void s10_entirelyEmptySegmentDirIsRemoved() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path empty = plantSegment(root.resolve("g1"), "seg-20240101", null, false);
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            assertTrue(db.segments().isEmpty());
            assertFalse(Files.exists(empty));
        }
    }

    @Test
    public void s10_unknownFileInASegmentIsRefusedAndKept() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path seg = plantSegment(root.resolve("g1"), "seg-20240101", "1.5.0", true);
        Path stray = Files.writeString(seg.resolve("notes.txt"), "operator notes");
        List<String> before = TreeSnapshot.of(root);
        try {
            StorageFixture.engine(root).open("g1", DAILY);
            fail("must refuse");
        } catch (CorruptSegmentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(stray.toString()));
        }
        assertEquals(before, TreeSnapshot.of(root));
    }

    @Test
    public void s10_halfCreatedSegmentIsDiscardedOnOpen() throws Exception {
        Path root = tmp.getRoot().toPath();
        // A crash before the staging dir was renamed into place: it never held data.
        Path staging = plantSegment(root.resolve("g1"), ".creating-seg-20240101", "1.5.0", false);
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            assertTrue(db.segments().isEmpty());
            assertFalse(Files.exists(staging));
        }
    }
}
