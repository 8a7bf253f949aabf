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
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.storage.api.IncompatibleVersionException;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** [S2][S3][S4][S7][S8]: which segments open, which refuse, and what the refusal says. */
public class VersionCompatibilityTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void s4_incompatibleVersionIsPermanentAndReleasesTheLock() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path seg = plantSegment(root.resolve("g1"), "seg-20240101", "1.3.0", true);
        TsdbEngine engine = StorageFixture.engine(root);
        try {
            engine.open("g1", DAILY);
            fail("a 1.3.0 segment must not open");
        } catch (IncompatibleVersionException e) {
            assertEquals("incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0, segment: " + seg, e.getMessage());
            assertEquals("1.3.0", e.foundVersion());
            assertEquals(List.of("1.4.0", "1.5.0"), e.supportedVersions());
            assertTrue("[S4] permanent", PermanentErrors.isPermanent(e));
            assertTrue("[E4] findable through wrapping", PermanentErrors
                    .find(new ExecutionException(new RuntimeException(e)), IncompatibleVersionException.class).isPresent());
        }
        assertFalse("[S8] lock file removed", Files.exists(root.resolve("g1/lock")));
        assertTrue("[S10] the segment is left alone", Files.exists(seg.resolve("shard-0/part-0000000000000001.bin")));

        // The operator removes the offending segment; the same dir opens in the same JVM.
        org.junit.Assert.assertTrue(seg.toFile().isDirectory());
        try (var walk = Files.walk(seg)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (Tsdb db = engine.open("g1", DAILY)) {
            assertTrue(db.segments().isEmpty());
        }
    }

    @Test
    public void s4_emptyVersionIsPermanent() throws Exception {
        Path root = tmp.getRoot().toPath();
        plantSegment(root.resolve("g1"), "seg-20240101", "  \n", true);
        try {
            StorageFixture.engine(root).open("g1", DAILY);
            fail("an empty version must not open");
        } catch (IncompatibleVersionException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("incompatible version , supported versions: 1.4.0, 1.5.0"));
            assertTrue(PermanentErrors.isPermanent(e));
        }
        assertFalse(Files.exists(root.resolve("g1/lock")));
    }

    @Test
    public void s2_oldFormatWithTrailingNewlineOpens() throws Exception {
        Path root = tmp.getRoot().toPath();
        plantSegment(root.resolve("g1"), "seg-20240101", "1.4.0\n", true);
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            SegmentInfo only = db.segments().get(0);
            assertEquals("1.4.0", only.version());
            assertEquals(local(2024, 1, 1, 0, 0, 0), only.startMillis());
            assertEquals("[S7] last segment ends one interval later", local(2024, 1, 2, 0, 0, 0), only.endMillis());
        }
    }

    @Test
    public void s7_jsonEndTimeOverridesTheComputedEnd() throws Exception {
        Path root = tmp.getRoot().toPath();
        plantSegment(root.resolve("g1"), "seg-20240101",
                "{\"version\":\"1.5.0\",\"endTime\":\"2024-01-01T12:00:00.000000000+08:00\"}", false);
        plantSegment(root.resolve("g1"), "seg-20240103", "1.4.0", false);
        plantSegment(root.resolve("g1"), "seg-20240105", "1.5.0", false);
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            List<SegmentInfo> segments = db.segments();
            assertEquals(3, segments.size());
            assertEquals(local(2024, 1, 1, 12, 0, 0), segments.get(0).endMillis());
            assertEquals("[S7] end is the next start", local(2024, 1, 5, 0, 0, 0), segments.get(1).endMillis());
            assertEquals(local(2024, 1, 6, 0, 0, 0), segments.get(2).endMillis());
        }
    }

    @Test
    public void s2_createdSegmentsUseTheJsonFormat() throws Exception {
        Path root = tmp.getRoot().toPath();
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            SegmentInfo seg = db.segmentFor(StorageFixture.utc(2024, 3, 10, 15, 30, 0));
            String body = Files.readString(seg.directory().resolve("metadata"));
            assertEquals("[S12][S15] the end in UTC, the shard count of the segment",
                    "{\"version\":\"1.5.0\",\"endTime\":\"2024-03-11T00:00:00.000000000Z\",\"shardNum\":2}\n", body);
        }
    }
}
