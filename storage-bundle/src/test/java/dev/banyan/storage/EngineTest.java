package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.DAILY;
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

import dev.banyan.storage.api.DirectoryInUseException;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.internal.segment.StorageVersionsAccess;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** [S3] versions.yml, engine close and drop. */
public class EngineTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void s3_bundledVersionsAreRead() {
        assertEquals(List.of("1.4.0", "1.5.0"), StorageVersionsAccess.bundled());
    }

    @Test
    public void s3_missingOrBrokenVersionsFileFailsWithAClearMessage() {
        assertFails(() -> StorageVersionsAccess.load("/no-such-versions.yml"), "has no /no-such-versions.yml");
        assertFails(() -> StorageVersionsAccess.parse("versions: [1.4.0, 1.5.0"), "cannot parse test.yml");
        assertFails(() -> StorageVersionsAccess.parse("releases: [1.5.0]"), "expected 'versions: [x.y.z, ...]'");
        assertFails(() -> StorageVersionsAccess.parse("versions: [1.4.0]"), "must list the version this engine writes (1.5.0)");
    }

    @Test
    public void closingTheEngineClosesEveryDatabaseAndReleasesEveryLock() {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        Tsdb a = engine.open("a", DAILY);
        Tsdb b = engine.open("b", DAILY);
        engine.close();
        assertTrue(a.isClosed() && b.isClosed());
        assertFalse(Files.exists(root.resolve("a/lock")) || Files.exists(root.resolve("b/lock")));
        StorageFixture.engine(root).open("a", DAILY).close();
    }

    @Test
    public void dropDeletesAClosedGroupAndRefusesAnOpenOne() {
        Path root = tmp.getRoot().toPath();
        TsdbEngine engine = StorageFixture.engine(root);
        Tsdb db = engine.open("g1", DAILY);
        db.segmentFor(StorageFixture.utc(2024, 1, 1, 1, 0, 0));
        try {
            engine.drop("g1");
            fail("open groups are not dropped");
        } catch (DirectoryInUseException e) {
            assertTrue(Files.exists(root.resolve("g1/seg-20240101/metadata")));
        }
        db.close();
        engine.drop("g1");
        assertFalse(Files.exists(root.resolve("g1")));
    }

    @Test
    public void checkListsEverySegmentOpenWouldRefuseAndChangesNothing() throws Exception {
        Path root = tmp.getRoot().toPath();
        StorageFixture.plantSegment(root.resolve("good"), "seg-20240101", "1.4.0", true);
        Path old = StorageFixture.plantSegment(root.resolve("bad"), "seg-20240101", "1.3.0", true);
        Path bare = StorageFixture.plantSegment(root.resolve("bad"), "seg-20240102", null, true);
        StorageFixture.plantSegment(root.resolve("bad"), "seg-20240103", null, false);
        List<String> before = dev.banyan.testsupport.TreeSnapshot.of(root);
        List<dev.banyan.storage.api.SegmentProblem> problems = StorageFixture.engine(root).check(root);
        assertEquals(List.of(
                new dev.banyan.storage.api.SegmentProblem("bad", old, "incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0"),
                new dev.banyan.storage.api.SegmentProblem("bad", bare, "segment holds data but has no metadata file; refusing to open rather than delete it")), problems);
        assertEquals(before, dev.banyan.testsupport.TreeSnapshot.of(root));
    }

    private static void assertFails(Runnable action, String fragment) {
        try {
            action.run();
            fail("expected failure containing " + fragment);
        } catch (StorageException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(fragment));
        }
    }

}
