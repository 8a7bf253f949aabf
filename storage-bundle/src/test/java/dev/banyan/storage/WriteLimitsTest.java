package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.local;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import dev.banyan.storage.internal.tsdb.EngineSettings;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * [S18] Writer and reader agree on every limit: what a write could carry beyond what replay reads
 * back after a crash (a log record over 256 MiB, a series text over 64 KiB, a log replay cannot
 * hold) is refused before anything is written, or split where no contract depends on it; what is
 * accepted survives a crash.
 */
public class WriteLimitsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final long T0 = local(2024, 1, 1, 0, 0, 0);

    private static TsdbEngine engine(Path root, EngineSettings settings) {
        return new TsdbEngine(root, StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), settings);
    }

    /**
     * What a crash leaves: the files of a database that is still open, copied. Background flushes
     * may delete a log while it is copied; a copy that met no vanished file is a consistent image
     * (a part appears whole by rename and its log is deleted only after), so copy until one does.
     */
    private Path crashCopy(Path live) throws IOException {
        while (true) {
            Path copy = tmp.newFolder().toPath();
            try (Stream<Path> files = Files.walk(live)) {
                for (Path p : files.toList()) {
                    Path target = copy.resolve(live.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else if (!p.getFileName().toString().equals("lock")) {
                        Files.copy(p, target);
                    }
                }
                return copy;
            } catch (NoSuchFileException | UncheckedIOException e) {
                // A flush finished during the copy: take another.
            }
        }
    }

    /** The write-ahead logs under {@code root} (listed again if a flush deletes one meanwhile). */
    private static List<Path> logs(Path root) throws IOException {
        while (true) {
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(p -> p.getFileName().toString().startsWith("wal-")).toList();
            } catch (UncheckedIOException e) {
                // A file vanished under the walk.
            }
        }
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0; // flushed and deleted meanwhile
        }
    }

    private static long pointsIn(Tsdb db, String measure) {
        return db.query(Query.of(measure, TimeRange.all())).series().stream().mapToLong(SeriesRows::size).sum();
    }

    private static WriteBatch wideBatch(List<FieldDef> fields, int points, long from) {
        WriteBatch batch = new WriteBatch("wide", fields, points);
        SeriesRef series = SeriesRef.of("wide", "host", "h1");
        Number[] values = new Number[fields.size()];
        for (int f = 0; f < values.length; f++) {
            values[f] = (long) f; // small boxed longs are cached: no garbage per point
        }
        for (int i = 0; i < points; i++) {
            batch.add(series, from + i, values);
        }
        return batch;
    }

    @Test(timeout = 300_000)
    public void s18_batchLargerThanOneLogRecordIsRefusedBeforeAnythingIsWritten() throws Exception {
        List<FieldDef> fields = new ArrayList<>();
        for (int f = 0; f < 40; f++) {
            fields.add(FieldDef.ofLong("f" + f));
        }
        Path live = tmp.newFolder("live").toPath();
        try (TsdbEngine engine = engine(live, EngineSettings.defaults()); Tsdb db = engine.open("g", OPTIONS)) {
            db.write(wideBatch(fields, 10_000, T0)); // acknowledged before the refused one
            // 1,000,000 points x 40 fields: more than 256 MiB in one log record, which replay would
            // take for a torn tail after a crash (dropping it, acknowledged or not).
            try {
                db.write(wideBatch(fields, 1_000_000, T0 + 10_000));
                fail("a batch larger than a log record was accepted");
            } catch (StorageException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("record limit of 268435456 bytes"));
                assertTrue(e.getMessage(), e.getMessage().contains("nothing of it was written"));
            }
            assertEquals("nothing of the refused batch is stored", 10_000, pointsIn(db, "wide"));
            db.write(wideBatch(fields, 10_000, T0 + 2_000_000)); // the log takes writes after the refusal
            try (TsdbEngine after = engine(crashCopy(live), EngineSettings.defaults()); Tsdb reopened = after.open("g", OPTIONS)) {
                assertEquals("every acknowledged point replayed after a crash", 20_000, pointsIn(reopened, "wide"));
            }
        }
    }

    @Test(timeout = 120_000)
    public void s18_batchOfMorePointsThanTheLimitIsRefusedWhole() throws Exception {
        try (TsdbEngine engine = engine(tmp.newFolder().toPath(), EngineSettings.defaults()); Tsdb db = engine.open("g", OPTIONS)) {
            try {
                db.write(wideBatch(List.of(FieldDef.ofDouble("v")), 1_000_001, T0));
                fail("a batch over the point limit was accepted");
            } catch (StorageException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("more than the limit of 1000000 points per batch"));
            }
            assertEquals(0, pointsIn(db, "wide"));
            db.write(wideBatch(List.of(FieldDef.ofDouble("v")), 1_000_000, T0));
            assertEquals(1_000_000, pointsIn(db, "wide"));
        }
    }

    @Test(timeout = 120_000)
    public void s18_seriesTextOverTheLimitIsRefusedAndTheLargestAllowedSurvivesACrash() throws Exception {
        String tooLong = "x".repeat(SeriesRef.MAX_TEXT_BYTES);
        try {
            SeriesRef.of("m", Map.of("host", tooLong), Map.of());
            fail("a series over the text limit was made");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("more than the limit of 65536"));
            assertTrue(e.getMessage(), e.getMessage().contains("tag host"));
        }
        // Multi-byte text counts in UTF-8 bytes: 22,000 three-byte characters are 66,000 bytes.
        try {
            SeriesRef.of("m", Map.of("host", "h"), Map.of("note", "\u20ac".repeat(22_000)));
            fail("a series over the text limit in UTF-8 bytes was made");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("tag note"));
        }
        // The largest series allowed: measure "m" and tag "host" leave 65536 - 5 bytes for the value.
        SeriesRef largest = SeriesRef.of("m", Map.of("host", "y".repeat(SeriesRef.MAX_TEXT_BYTES - 5)), Map.of());
        Path live = tmp.newFolder("live").toPath();
        try (TsdbEngine engine = engine(live, EngineSettings.defaults()); Tsdb db = engine.open("g", OPTIONS)) {
            WriteBatch batch = new WriteBatch("m", List.of(FieldDef.ofDouble("v")), 3);
            for (int i = 0; i < 3; i++) {
                batch.add(largest, T0 + i, (double) i);
            }
            db.write(batch);
            try (TsdbEngine after = engine(crashCopy(live), EngineSettings.defaults()); Tsdb reopened = after.open("g", OPTIONS)) {
                List<SeriesRows> rows = reopened.query(Query.of("m", TimeRange.all())).series();
                assertEquals(1, rows.size());
                assertEquals(largest.entity(), rows.get(0).tags());
                assertEquals(3, rows.get(0).size());
            }
        }
    }

    @Test(timeout = 120_000)
    public void s18_logIsRetiredBeforeReplayCouldNotReadItWhole() throws Exception {
        long rotation = 64 << 10;
        Path live = tmp.newFolder("live").toPath();
        BatchLedger ledger = new BatchLedger(T0, 10, 100);
        EngineSettings settings = EngineSettings.defaults().withLogRotationBytes(rotation);
        try (TsdbEngine engine = engine(live, settings); Tsdb db = engine.open("g", OPTIONS)) {
            for (int n = 0; n < 40; n++) {
                ledger.write(db, n);
                for (Path log : logs(live)) {
                    // A log is retired after the record that reaches the size: at most one record more.
                    long size = sizeOrZero(log);
                    assertTrue(log + " is " + size + " bytes", size < rotation + (16 << 10));
                }
            }
            try (TsdbEngine after = engine(crashCopy(live), settings); Tsdb reopened = after.open("g", OPTIONS)) {
                ledger.verify(reopened, "after a crash");
            }
        }
    }
}
