package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static dev.banyan.storage.DiskDamage.copyTree;
import static dev.banyan.storage.DiskDamage.deleteTree;
import static dev.banyan.storage.DiskDamage.flip;
import static dev.banyan.storage.DiskDamage.only;
import static dev.banyan.storage.DiskDamage.truncate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;
import dev.banyan.testsupport.TreeSnapshot;

/**
 * [S10][S11] One owner of the on-disk layout: for every mutation of a data root (the corruption
 * suites' damage, unknown files at every level, bad names, bad metadata, leftovers of interrupted
 * operations), the offline check's verdict equals open's outcome, the check changes nothing, a
 * refusal is permanent and names what check named.
 */
@RunWith(Parameterized.class)
public class LayoutVerdictTest {

    @ClassRule
    public static TemporaryFolder base = new TemporaryFolder();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(7), 2).withRetention(false);
    private static final long DAY1 = Instant.parse("2024-06-01T00:00:00Z").toEpochMilli();
    private static final long DAY2 = DAY1 + 86_400_000L;
    private static Path store;

    /** A mutation of the base store and whether open must still succeed after it. */
    interface Mutation {
        void apply(Path root) throws IOException;
    }

    private final String name;
    private final boolean opens;
    private final Mutation mutation;

    public LayoutVerdictTest(String name, boolean opens, Mutation mutation) {
        this.name = name;
        this.opens = opens;
        this.mutation = mutation;
    }

    private static Object[] c(String name, boolean opens, Mutation mutation) {
        return new Object[] {name, opens, mutation};
    }

    private static Path g(Path root) {
        return root.resolve("g");
    }

    private static Path seg(Path root) {
        return g(root).resolve("seg-20240601");
    }

    private static Path shard(Path root) {
        return seg(root).resolve("shard-0");
    }

    @Parameters(name = "{0}")
    public static Collection<Object[]> mutations() {
        return List.of(
                c("healthy", true, root -> { }),
                c("unknown file at the data root", true, root -> write(root.resolve("notes.txt"), "x")),
                c("hidden dir at the data root", true, root -> Files.createDirectories(root.resolve(".registry"))),
                c("unknown file in the group dir", false, root -> write(g(root).resolve("notes.txt"), "x")),
                c("unknown dir in the group dir", false, root -> Files.createDirectories(g(root).resolve("backup"))),
                c("group.json malformed", false, root -> write(g(root).resolve("group.json"), "{\"format\":1,")),
                c("group.json unknown zone", false, root -> write(g(root).resolve("group.json"),
                        "{\"format\":1,\"segmentNameZone\":\"Mars/Olympus\",\"segmentIntervalUnit\":\"DAY\"}")),
                c("group.json from a newer format", false, root -> write(g(root).resolve("group.json"),
                        "{\"format\":2,\"segmentNameZone\":\"UTC\",\"segmentIntervalUnit\":\"DAY\"}")),
                c("group.json says HOUR, names are DAY", false, root -> write(g(root).resolve("group.json"),
                        "{\"format\":1,\"segmentNameZone\":\"UTC\",\"segmentIntervalUnit\":\"HOUR\"}")),
                c("group.json missing (older group)", true, root -> Files.delete(g(root).resolve("group.json"))),
                c("group.json.tmp left by a crash", true, root -> write(g(root).resolve("group.json.tmp"), "{")),
                c("interrupted segment creation", true, root -> Files.createDirectories(g(root).resolve(".creating-seg-20240605"))),
                c("interrupted segment deletion", true, root -> copyTree(seg(root), g(root).resolve(".deleting-seg-20240520"))),
                c("segment name too short", false, root -> Files.createDirectories(g(root).resolve("seg-2024/shard-0"))),
                c("segment name in year 10000", false, root -> Files.move(g(root).resolve("seg-20240602"), g(root).resolve("seg-+100000101"))),
                c("segment name not a date", false, root -> Files.move(g(root).resolve("seg-20240602"), g(root).resolve("seg-20240231"))),
                c("segment name of the other unit", false, root -> Files.move(g(root).resolve("seg-20240602"), g(root).resolve("seg-2024060200"))),
                c("segment is a file", false, root -> write(g(root).resolve("seg-20240610"), "x")),
                c("empty segment dir", true, root -> Files.createDirectories(g(root).resolve("seg-20240610"))),
                c("segment data without metadata", false, root -> Files.delete(seg(root).resolve("metadata"))),
                c("segment metadata empty", false, root -> write(seg(root).resolve("metadata"), "")),
                c("segment metadata {}", false, root -> write(seg(root).resolve("metadata"), "{}")),
                c("segment metadata truncated JSON", false, root -> write(seg(root).resolve("metadata"), "{\"version\":\"1.5")),
                c("segment metadata version 1.5.1", false, root -> replace(seg(root).resolve("metadata"), "1.5.0", "1.5.1")),
                c("segment metadata old format 1.4.0", true, root -> write(seg(root).resolve("metadata"), "1.4.0\n")),
                c("segment metadata endTime not RFC 3339", false, root -> write(seg(root).resolve("metadata"),
                        "{\"version\":\"1.5.0\",\"endTime\":\"tomorrow\"}")),
                c("segment metadata shardNum not a number", false, root -> write(seg(root).resolve("metadata"),
                        "{\"version\":\"1.5.0\",\"shardNum\":\"two\"}")),
                c("segment metadata is a dir", false, root -> {
                    Files.delete(seg(root).resolve("metadata"));
                    Files.createDirectories(seg(root).resolve("metadata"));
                }),
                c("unknown file in a segment", false, root -> write(seg(root).resolve("notes.txt"), "x")),
                c("shard dir with a bad name", false, root -> Files.createDirectories(seg(root).resolve("shard-x"))),
                c("shard dir with a leading zero", false, root -> Files.move(seg(root).resolve("shard-1"), seg(root).resolve("shard-01"))),
                c("shard beyond the recorded shard count", false, root -> Files.createDirectories(seg(root).resolve("shard-2"))),
                c("shard is a file", false, root -> {
                    deleteTree(seg(root).resolve("shard-1"));
                    write(seg(root).resolve("shard-1"), "x");
                }),
                c("unknown file in a shard", false, root -> write(shard(root).resolve("notes.txt"), "x")),
                c("dir in a shard", false, root -> Files.createDirectories(shard(root).resolve("part-0000000000000099.bin"))),
                c("part name not a generation", false, root -> write(shard(root).resolve("part-abc.bin"), "x")),
                c("part name with a short generation", false, root -> Files.move(only(shard(root), "part-"), shard(root).resolve("part-1.bin"))),
                c("unfinished part write", true, root -> write(shard(root).resolve("part-0000000000000099.bin.tmp"), "x")),
                c("log with a torn tail", true, root -> truncate(only(shard(root), "wal-"), Files.size(only(shard(root), "wal-")) - 3)),
                c("log damaged before intact records", false, root -> flip(only(shard(root), "wal-"), 40)),
                c("log empty", true, root -> truncate(only(shard(root), "wal-"), 0)),
                c("part index damaged", false, root -> flip(only(shard(root), "part-"), Files.size(only(shard(root), "part-")) - 30)),
                c("part truncated to half", false, root -> truncate(only(shard(root), "part-"), Files.size(only(shard(root), "part-")) / 2)),
                c("part truncated to 7 bytes", false, root -> truncate(only(shard(root), "part-"), 7)),
                c("part block damaged (found by a query, not by open)", true, root -> flip(only(shard(root), "part-"), 12)));
    }

    @Test(timeout = 60_000)
    public void s10_checkVerdictEqualsOpenOutcome() throws Exception {
        Path root = tmp.newFolder("root").toPath();
        copyTree(baseStore(), root);
        mutation.apply(root);
        List<String> before = TreeSnapshot.of(root);
        List<SegmentProblem> problems = engine(root).check(root);
        assertEquals(name + ": check changes nothing", before, TreeSnapshot.of(root));
        RuntimeException refused = null;
        try (TsdbEngine engine = engine(root); Tsdb db = engine.open("g", OPTIONS)) {
            db.segments();
        } catch (RuntimeException e) {
            refused = e;
        }
        assertEquals(name + ": open " + (refused == null ? "succeeded" : "refused: " + refused) + ", check said " + problems,
                refused == null, problems.isEmpty());
        assertEquals(name + ": " + (refused == null ? "opened" : refused.toString()), opens, refused == null);
        if (refused != null) {
            assertTrue(name + ": permanent, waiting cannot repair a file: " + refused, PermanentErrors.isPermanent(refused));
            String message = refused.getMessage();
            assertTrue(name + ": open names what check named: " + message + " / " + problems,
                    problems.stream().anyMatch(p -> message.contains(p.segment().toString()) && message.contains(p.problem())));
        }
    }

    private static TsdbEngine engine(Path root) {
        return new TsdbEngine(root, StorageVersions.bundled(), new TestClock(DAY2 + 43_200_000L, ZoneOffset.UTC));
    }

    /**
     * Group g, two daily segments of two shards each: parts (a flush) and write-ahead logs (writes
     * after it), as a crash leaves them, plus group.json.
     */
    private static synchronized Path baseStore() throws IOException {
        if (store != null) {
            return store;
        }
        Path live = base.newFolder("live").toPath();
        Path copy = base.newFolder("crashed").toPath();
        List<FieldDef> fields = List.of(FieldDef.ofDouble("value"));
        try (TsdbEngine engine = engine(live); Tsdb db = engine.open("g", OPTIONS)) {
            for (int batch = 0; batch < 6; batch++) {
                for (long day : new long[] {DAY1, DAY2}) {
                    WriteBatch points = new WriteBatch("cpu", fields, 40);
                    for (int i = 0; i < 40; i++) {
                        points.add(SeriesRef.of("cpu", "host", "h" + (i % 8)), day + (batch * 40 + i) * 1000L, i + 0.5);
                    }
                    db.write(points);
                }
                if (batch == 2) {
                    db.flush();
                }
            }
            copyTree(live, copy);
        }
        store = copy;
        return store;
    }

    private static void write(Path file, String body) throws IOException {
        Files.writeString(file, body, StandardCharsets.UTF_8);
    }

    private static void replace(Path file, String from, String to) throws IOException {
        write(file, Files.readString(file).replace(from, to));
    }
}
