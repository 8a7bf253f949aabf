package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.PointRejectedException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * [S13a] Data time never drives destructive maintenance: rotation, retention and the tick debounce
 * run on the engine's clock, and a point outside the accepted write window is refused, never
 * acknowledged and then lost.
 */
public class WriteWindowTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    private static final SeriesRef SERIES = SeriesRef.of("cpu", "host", "h1");
    /** 2024-06-01T12:00:00Z: the server's wall clock when each test starts. */
    private static final long NOW = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();
    private static final TsdbOptions WEEK = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(7), 1);

    private final TestClock clock = new TestClock(NOW, ZoneOffset.UTC);

    private TsdbEngine engine() {
        Path root = tmp.getRoot().toPath();
        return new TsdbEngine(root, StorageVersions.bundled(), clock);
    }

    private static void write(Tsdb db, long timestamp, double value) {
        db.write(new WriteBatch("cpu", VALUE, 1).add(SERIES, timestamp, value));
    }

    private static int pointsAround(Tsdb db, long t) {
        return db.query(Query.of("cpu", new TimeRange(t - 3_600_000, t + 3_600_000))).series().stream()
                .mapToInt(s -> s.size()).sum();
    }

    private static void assertRefused(Runnable write, String... fragments) {
        try {
            write.run();
            fail("accepted");
        } catch (PointRejectedException e) {
            assertEquals(0, e.point());
            for (String fragment : fragments) {
                assertTrue(e.getMessage(), e.getMessage().contains(fragment));
            }
        }
    }

    @Test
    public void s13a_futurePointNeverDeletesCurrentData() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", WEEK)) {
            write(db, NOW, 1);
            long future = NOW + Duration.ofDays(30).toMillis();
            assertRefused(() -> write(db, future, 2), "point 0", "2024-07-01T12:00:00Z", "accepted window",
                    "2024-06-03T12:00:00Z");
            assertEquals("today's point stays", 1, pointsAround(db, NOW));
            assertEquals("nothing stored for the refused point", 0, pointsAround(db, future));
            assertEquals(1, db.segments().size());
        }
    }

    @Test
    public void s13a_futurePointInsideTheWindowNeitherRotatesNorExpiresAnything() {
        // TTL 1 day: a tick at the future point's time would expire today's segment.
        TsdbOptions day = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(1), 1);
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", day)) {
            write(db, NOW, 1);
            long tomorrowLate = NOW + Duration.ofHours(35).plusMinutes(30).toMillis(); // 2024-06-02T23:30Z
            write(db, tomorrowLate, 2);
            assertEquals("today's point stays", 1, pointsAround(db, NOW));
            assertEquals("the future point is stored", 1, pointsAround(db, tomorrowLate));
            assertEquals("only the two segments written to, no rotation to 06-03",
                    List.of("seg-20240601", "seg-20240602"), names(db.segments()));
        }
    }

    @Test
    public void s13a_futurePointNeverPoisonsTheTickDebounce() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", WEEK)) {
            clock.set(NOW + Duration.ofHours(10).toMillis()); // 22:00
            write(db, clock.millis(), 1);
            write(db, NOW + Duration.ofHours(45).toMillis(), 2); // 2024-06-03T09:00Z, inside the window
            clock.set(NOW + Duration.ofHours(11).plusMinutes(30).toMillis()); // 23:30: the last hour of 06-01
            write(db, clock.millis(), 3);
            assertEquals("the wall clock's tick rotated to 06-02 ahead of time",
                    List.of("seg-20240601", "seg-20240602", "seg-20240603"), names(db.segments()));
        }
    }

    @Test
    public void s13a_explicitFarFutureTickNeverSilencesLaterTicks() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", WEEK.withRetention(false))) {
            write(db, NOW, 1);
            db.tick(NOW + Duration.ofDays(365).toMillis());
            clock.set(NOW + Duration.ofHours(11).plusMinutes(30).toMillis());
            write(db, clock.millis(), 2);
            assertEquals(List.of("seg-20240601", "seg-20240602"), names(db.segments()));
        }
    }

    /** Concurrent writers tick with clock readings in any order: one slightly older does not reset the debounce. */
    @Test
    public void s13a_ticksOutOfOrderWithinTheDebounceAreIgnored() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", WEEK.withRetention(false))) {
            write(db, NOW, 1);
            long t = NOW + Duration.ofHours(10).plusMinutes(55).toMillis(); // 22:55: more than an hour before 06-02
            db.tick(t);
            db.tick(t - Duration.ofMinutes(1).toMillis()); // another writer's older reading
            db.tick(t + Duration.ofMinutes(9).plusSeconds(30).toMillis()); // 23:04:30, within 10 min of the 22:55 tick
            assertEquals("no tick ran after 22:55, so nothing rotated", List.of("seg-20240601"), names(db.segments()));
            db.tick(t + Duration.ofMinutes(10).toMillis()); // 23:05: the debounce is over
            assertEquals(List.of("seg-20240601", "seg-20240602"), names(db.segments()));
        }
    }

    @Test
    public void s13a_pointOlderThanTheTtlIsRefusedNotAcknowledgedAndDeleted() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", WEEK)) {
            write(db, NOW, 1);
            long expired = NOW - Duration.ofDays(8).toMillis();
            assertRefused(() -> write(db, expired, 2), "point 0", "2024-05-24T12:00:00Z", "older than the group's TTL",
                    "accepted window", "2024-05-25T12:00:00Z");
            assertEquals(0, pointsAround(db, expired));
            long oldestKept = NOW - Duration.ofDays(7).toMillis();
            write(db, oldestKept, 3);
            assertEquals("a point exactly one TTL old is kept until its segment expires", 1, pointsAround(db, oldestKept));
        }
    }

    private static List<String> names(List<SegmentInfo> segments) {
        return segments.stream().map(s -> s.directory().getFileName().toString()).toList();
    }
}
