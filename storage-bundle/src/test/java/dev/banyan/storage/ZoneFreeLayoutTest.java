package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.shard.SeriesDef;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.ChildJvm;
import dev.banyan.testsupport.TreeSnapshot;

/**
 * [S1][S12] The meaning of what is on disk never depends on the process's time zone: a group written
 * by a JVM in one zone reads and accepts writes the same in a JVM in any other (real child JVMs
 * started with {@code -Duser.timezone}); groups created before the naming zone was recorded recover
 * it from their metadata, or are refused clearly (and {@code banyan:check} says so).
 */
public class ZoneFreeLayoutTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final Duration CHILD = Duration.ofSeconds(60);
    /** 2024-01-01T01:30 in Shanghai, still 2023-12-31 in UTC. */
    private static final String EVENING = "2023-12-31T17:30:00Z";
    private static final String NEXT_DAY = "2024-01-01T18:00:00Z";

    /** Runs {@link ZoneSessionMain} in a child JVM in {@code zone}; returns its output lines after ZONE. */
    private static List<String> session(Path root, String zone, String... commands) throws Exception {
        List<String> args = new ArrayList<>(List.of(root.toString()));
        args.addAll(List.of(commands));
        try (ChildJvm child = ChildJvm.start(List.of("-Duser.timezone=" + zone), ZoneSessionMain.class, args.toArray(String[]::new))) {
            assertEquals(String.join("\n", child.output()), 0, child.awaitExit(CHILD));
            List<String> lines = child.output().stream().filter(l -> l.startsWith("ZONE ") || l.startsWith("OK")
                    || l.startsWith("REFUSED") || l.startsWith("POINTS") || l.equals("CLOSED")).toList();
            assertEquals("the child ran in " + zone + ": " + child.output(), "ZONE " + zone, lines.get(0));
            return lines.subList(1, lines.size());
        }
    }

    private static String groupJson(Path root) throws Exception {
        return Files.readString(root.resolve("g/group.json"), StandardCharsets.UTF_8).strip();
    }

    private static List<String> segmentNames(Path root) throws Exception {
        try (Stream<Path> entries = Files.list(root.resolve("g"))) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("seg-")).sorted().toList();
        }
    }

    @Test(timeout = 180_000)
    public void s12_groupWrittenInShanghaiReadsAndAcceptsWritesInUtc() throws Exception {
        Path root = tmp.getRoot().toPath();
        String all = "query 2023-12-01T00:00:00Z 2024-02-01T00:00:00Z";
        assertEquals(List.of("OK", "POINTS [2023-12-31T17:30:00Z=1.0]", "CLOSED"),
                session(root, "Asia/Shanghai", "write " + EVENING + " 1", "query 2023-12-31T17:00:00Z 2023-12-31T18:00:00Z"));
        assertEquals(List.of("POINTS [2023-12-31T17:30:00Z=1.0]", "OK", "POINTS [2023-12-31T17:30:00Z=1.0, 2024-01-01T18:00:00Z=2.0]", "CLOSED"),
                session(root, "UTC", "query 2023-12-31T17:00:00Z 2023-12-31T18:00:00Z", "write " + NEXT_DAY + " 2", all));
        assertEquals(List.of("OK", "POINTS [2023-12-31T17:30:00Z=1.0, 2024-01-01T18:00:00Z=3.0]", "CLOSED"),
                session(root, "America/Los_Angeles", "write " + NEXT_DAY + " 3", all));
        assertEquals("segments are named in UTC, recorded once", "{\"format\":1,\"segmentNameZone\":\"UTC\",\"segmentIntervalUnit\":\"DAY\"}",
                groupJson(root));
        assertEquals(List.of("seg-20231231", "seg-20240101"), segmentNames(root));
    }

    /** What the previous release left: segments named in its process zone, Shanghai, endTime with +08:00. */
    private static void plantShanghaiGroup(Path root) throws Exception {
        Path seg = StorageFixture.plantSegment(root.resolve("g"), "seg-20240101",
                "{\"version\":\"1.5.0\",\"endTime\":\"2024-01-02T00:00:00.000000000+08:00\"}", false);
        Path shard = Files.createDirectories(seg.resolve("shard-0"));
        long t = Instant.parse(EVENING).toEpochMilli();
        SeriesDef def = new SeriesDef(ZoneSessionMain.SERIES, ZoneSessionMain.VALUE);
        PartWriter.write(shard.resolve("part-0000000000000001.bin"),
                List.of(new PartWriter.SeriesData(def, new long[] {t}, new long[] {Double.doubleToRawLongBits(1)}, 1)));
    }

    @Test(timeout = 180_000)
    public void s12_olderGroupNamedInShanghaiRecoversItsZoneFromTheEndTimeOffset() throws Exception {
        Path root = tmp.getRoot().toPath();
        plantShanghaiGroup(root);
        String all = "query 2023-12-01T00:00:00Z 2024-02-01T00:00:00Z";
        assertEquals(List.of("POINTS [2023-12-31T17:30:00Z=1.0]", "OK", "POINTS [2023-12-31T17:30:00Z=1.0, 2024-01-01T18:00:00Z=2.0]", "CLOSED"),
                session(root, "UTC", "query 2023-12-31T17:00:00Z 2023-12-31T18:00:00Z", "write " + NEXT_DAY + " 2", all));
        assertTrue(groupJson(root), groupJson(root).startsWith("{\"format\":1,\"segmentNameZone\":\"+08:00\",\"segmentIntervalUnit\":\"DAY\","
                + "\"zoneEvidence\":\"recovered from the endTime offsets [+08:00] of 1 segment(s)\"}"));
        assertEquals("new segments keep the group's naming (+08:00: 2024-01-02 02:00)", List.of("seg-20240101", "seg-20240102"), segmentNames(root));
        assertEquals(List.of("POINTS [2023-12-31T17:30:00Z=1.0, 2024-01-01T18:00:00Z=2.0]", "CLOSED"),
                session(root, "America/Los_Angeles", all));
    }

    private TsdbEngine engine(Path root, ZoneId zone) {
        return new TsdbEngine(root, StorageVersions.bundled(), Clock.system(zone));
    }

    private static String endTime(LocalDateTime local, ZoneId zone) {
        return "{\"version\":\"1.5.0\",\"endTime\":\"" + local.atZone(zone).toOffsetDateTime() + "\"}";
    }

    @Test
    public void s12_olderGroupAcrossADaylightSavingChangeRecoversTheRegionZone() throws Exception {
        Path root = tmp.getRoot().toPath();
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2024-03-31: clocks go from +01:00 to +02:00. Names and ends as a Berlin process wrote them.
        for (int day = 29; day <= 31; day++) {
            StorageFixture.plantSegment(root.resolve("g"), "seg-202403" + day,
                    endTime(LocalDateTime.of(2024, 3, day, 0, 0).plusDays(1), berlin), false);
        }
        try (TsdbEngine engine = engine(root, ZoneOffset.UTC); Tsdb db = engine.open("g", ZoneSessionMain.OPTIONS)) {
            List<SegmentInfo> segments = db.segments();
            for (int i = 0; i < 3; i++) {
                LocalDateTime day = LocalDateTime.of(2024, 3, 29 + i, 0, 0);
                assertEquals(day.atZone(berlin).toInstant().toEpochMilli(), segments.get(i).startMillis());
                assertEquals(day.plusDays(1).atZone(berlin).toInstant().toEpochMilli(), segments.get(i).endMillis());
            }
        }
        assertTrue(groupJson(root), groupJson(root).contains("\"segmentNameZone\":\"") && groupJson(root).contains(
                "\"zoneEvidence\":\"recovered from the endTime offsets [+02:00, +01:00] of 3 segment(s)\""));
        try (TsdbEngine engine = engine(root, ZoneId.of("Asia/Tokyo")); Tsdb db = engine.open("g", ZoneSessionMain.OPTIONS)) {
            assertEquals(LocalDateTime.of(2024, 3, 31, 0, 0).atZone(berlin).toInstant().toEpochMilli(), db.segments().get(2).startMillis());
        }
    }

    @Test
    public void s12_olderGroupWhoseZoneCannotBeDeterminedIsRefusedAndCheckSaysSo() throws Exception {
        Path root = tmp.getRoot().toPath();
        // No zone ever had both +01:00 and +05:45.
        StorageFixture.plantSegment(root.resolve("g"), "seg-20240101", "{\"version\":\"1.5.0\",\"endTime\":\"2024-01-02T00:00:00.000000000+01:00\"}", true);
        StorageFixture.plantSegment(root.resolve("g"), "seg-20240102", "{\"version\":\"1.5.0\",\"endTime\":\"2024-01-03T00:00:00.000000000+05:45\"}", false);
        List<String> before = TreeSnapshot.of(root);
        TsdbEngine engine = engine(root, ZoneOffset.UTC);
        List<SegmentProblem> problems = engine.check(root);
        assertEquals(problems.toString(), 1, problems.size());
        assertEquals(root.resolve("g"), problems.get(0).segment());
        assertTrue(problems.get(0).problem(), problems.get(0).problem().startsWith("cannot tell the time zone its segment names were "
                + "written in: the endTime offsets [+05:45, +01:00] of 2 segment(s) fit no time zone"));
        try {
            engine.open("g", ZoneSessionMain.OPTIONS);
            fail("opened with an unknown naming zone");
        } catch (CorruptSegmentException e) {
            assertTrue(PermanentErrors.isPermanent(e));
            assertEquals(problems.get(0).problem() + ": " + root.resolve("g"), e.getMessage());
        }
        assertEquals("nothing changed, no group.json guessed", before, TreeSnapshot.of(root));
    }

    @Test
    public void s12_olderGroupWithoutAnyOffsetAssumesTheOpeningServersZoneAndRecordsIt() throws Exception {
        Path root = tmp.getRoot().toPath();
        StorageFixture.plantSegment(root.resolve("g"), "seg-20240101", "1.4.0\n", true);
        long shanghaiMidnight = LocalDateTime.of(2024, 1, 1, 0, 0).atZone(StorageFixture.ZONE).toInstant().toEpochMilli();
        try (TsdbEngine engine = engine(root, StorageFixture.ZONE); Tsdb db = engine.open("g", ZoneSessionMain.OPTIONS)) {
            assertEquals(shanghaiMidnight, db.segments().get(0).startMillis());
        }
        assertTrue(groupJson(root), groupJson(root).contains("\"segmentNameZone\":\"Asia/Shanghai\""));
        try (TsdbEngine engine = engine(root, ZoneOffset.UTC); Tsdb db = engine.open("g", ZoneSessionMain.OPTIONS)) {
            assertEquals("recorded: a server in another zone reads it the same", shanghaiMidnight, db.segments().get(0).startMillis());
        }
    }
}
