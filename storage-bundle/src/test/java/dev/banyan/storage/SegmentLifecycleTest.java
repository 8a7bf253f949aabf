package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.DAILY;
import static dev.banyan.storage.StorageFixture.utc;
import static dev.banyan.storage.StorageFixture.plus;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.SegmentInfo;
import dev.banyan.storage.api.StorageCounters;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** [S12][S13][S14][S15]: grid alignment, rotation, retention, runtime option changes. */
public class SegmentLifecycleTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Tsdb open(TsdbOptions options) {
        return open("g1", options);
    }

    private Tsdb open(String group, TsdbOptions options) {
        return StorageFixture.engine(tmp.getRoot().toPath()).open(group, options);
    }

    @Test
    public void s12_startsAlignToTheUtcGridWhateverTheClockZone() {
        try (Tsdb db = open(DAILY.withSegmentInterval(IntervalRule.days(3)))) {
            // UTC days since 1970-01-01 (the engine clock is in Shanghai): 2024-01-01 is day 19723 = 3 x 6574 + 1, so its cell starts on 2023-12-31.
            SegmentInfo seg = db.segmentFor(utc(2024, 1, 1, 10, 0, 0));
            assertEquals(utc(2023, 12, 31, 0, 0, 0), seg.startMillis());
            assertEquals(utc(2024, 1, 3, 0, 0, 0), seg.endMillis());
            assertEquals("seg-20231231", seg.directory().getFileName().toString());
            assertSame("[S12] a write inside reuses it", seg, db.segmentFor(utc(2024, 1, 2, 23, 59, 59)));
        }
        try (Tsdb db = open("hourly", DAILY.withSegmentInterval(IntervalRule.hours(4)))) {
            SegmentInfo seg = db.segmentFor(utc(2024, 1, 1, 10, 30, 0));
            assertEquals(utc(2024, 1, 1, 8, 0, 0), seg.startMillis());
            assertEquals("seg-2024010108", seg.directory().getFileName().toString());
        }
    }

    @Test
    public void s12_newSegmentEndIsCappedAtTheNextStart() {
        try (Tsdb db = open(DAILY.withSegmentInterval(IntervalRule.days(2)))) {
            // Local day 19724 (2024-01-02) is even, so it starts a 2-day cell.
            SegmentInfo later = db.segmentFor(utc(2024, 1, 2, 1, 0, 0));
            assertEquals(utc(2024, 1, 2, 0, 0, 0), later.startMillis());
            // Shrink the interval: the next cell would overlap the existing segment.
            db.updateOptions(db.options().withSegmentInterval(IntervalRule.days(3)));
            SegmentInfo earlier = db.segmentFor(utc(2024, 1, 1, 5, 0, 0));
            assertEquals(utc(2023, 12, 31, 0, 0, 0), earlier.startMillis());
            assertEquals("capped at the next start", later.startMillis(), earlier.endMillis());
            assertEquals(List.of(earlier, later), db.segments());
            assertEquals(List.of(later), db.segments(new TimeRange(utc(2024, 1, 2, 0, 0, 0), utc(2024, 1, 9, 0, 0, 0))));
        }
    }

    @Test
    public void s12_nonPositiveTimestampsAreRejected() {
        try (Tsdb db = open(DAILY)) {
            for (long ts : new long[] {0, -1}) {
                try {
                    db.segmentFor(ts);
                    fail("accepted " + ts);
                } catch (StorageException e) {
                    assertTrue(e.getMessage(), e.getMessage().startsWith("invalid segment timestamp"));
                }
            }
        }
    }

    @Test
    public void s13_tickInTheLastHourCreatesTheNextSegment() {
        long start = utc(2024, 1, 1, 0, 0, 0);
        try (Tsdb db = open(DAILY)) {
            db.segmentFor(start);
            db.tick(plus(start, Duration.ofHours(22).plusMinutes(59).plusSeconds(59)));
            assertEquals("22h59m59s: still one", 1, db.segments().size());
        }
        try (Tsdb db = open(DAILY)) {
            db.tick(plus(start, Duration.ofHours(23).plusSeconds(1)));
            List<SegmentInfo> segments = db.segments();
            assertEquals("23h00m01s: the next day is created ahead", 2, segments.size());
            assertEquals(utc(2024, 1, 2, 0, 0, 0), segments.get(1).startMillis());
        }
    }

    @Test
    public void s13_ticksWithinTenMinutesAreIgnored() {
        long start = utc(2024, 1, 1, 0, 0, 0);
        try (Tsdb db = open(DAILY)) {
            db.segmentFor(start);
            db.tick(plus(start, Duration.ofHours(22).plusMinutes(55)));
            db.tick(plus(start, Duration.ofHours(23).plusMinutes(4)));
            assertEquals("debounced: 9 minutes after the last accepted tick", 1, db.segments().size());
            db.tick(plus(start, Duration.ofHours(23).plusMinutes(5)));
            assertEquals(2, db.segments().size());
        }
    }

    @Test
    public void s13_rotationCanBeDisabled() {
        long start = utc(2024, 1, 1, 0, 0, 0);
        try (Tsdb db = open(DAILY.withRotation(false))) {
            db.segmentFor(start);
            db.tick(plus(start, Duration.ofHours(23).plusMinutes(30)));
            assertEquals(1, db.segments().size());
        }
    }

    @Test
    public void s14_threeDayTtlWithDailyTicksNeverHoldsMoreThanFourSegments() throws Exception {
        TsdbEngine engine = StorageFixture.engine(tmp.getRoot().toPath());
        try (Tsdb db = engine.open("g1", DAILY)) {
            long day0 = utc(2024, 1, 1, 12, 0, 0);
            for (int day = 0; day < 20; day++) {
                long now = plus(day0, Duration.ofDays(day));
                db.segmentFor(now);
                db.tick(now);
                assertTrue("day " + day + ": " + db.segments().size(), db.segments().size() <= 4);
            }
            assertEquals(4, db.segments().size());
            assertEquals(utc(2024, 1, 17, 0, 0, 0), db.segments().get(0).startMillis());
            try (var dirs = Files.list(db.directory())) {
                assertEquals("only live segments, the lock and group.json remain on disk", 6, dirs.count());
            }
            StorageCounters counters = engine.counters();
            assertEquals(20, counters.retentionsStarted());
            assertEquals(20, counters.retentionsFinished());
            assertEquals(0, counters.retentionErrors());
        }
    }

    @Test
    public void s14_expiryIsAtEndPlusTtl() {
        try (Tsdb db = open(DAILY)) {
            SegmentInfo seg = db.segmentFor(utc(2024, 1, 1, 1, 0, 0));
            db.applyRetention(plus(seg.endMillis(), Duration.ofDays(3).minusMillis(1)));
            assertEquals(1, db.segments().size());
            db.applyRetention(plus(seg.endMillis(), Duration.ofDays(3)));
            assertEquals(0, db.segments().size());
            assertFalse(Files.exists(seg.directory()));
        }
    }

    @Test
    public void s14_retentionCanBeDisabled() {
        try (Tsdb db = open(DAILY.withRetention(false))) {
            db.segmentFor(utc(2024, 1, 1, 1, 0, 0));
            db.tick(utc(2025, 1, 1, 1, 0, 0));
            assertEquals(1, db.segments().size());
        }
    }

    @Test
    public void s14_interruptedDeletionIsFinishedOnOpen() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path groupDir = root.resolve("g1");
        // What a crash between "rename out of sight" and "delete" leaves behind.
        Path hidden = StorageFixture.plantSegment(groupDir, ".deleting-seg-20240101", "1.5.0", true);
        StorageFixture.plantSegment(groupDir, "seg-20240102", "1.5.0", true);
        try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
            assertEquals(1, db.segments().size());
            assertFalse(Files.exists(hidden));
        }
    }

    @Test
    public void s13_rotationCountersMoveWithEachRotation() {
        TsdbEngine engine = StorageFixture.engine(tmp.getRoot().toPath());
        long start = utc(2024, 1, 1, 0, 0, 0);
        try (Tsdb db = engine.open("g1", DAILY)) {
            db.segmentFor(start);
            db.tick(plus(start, Duration.ofHours(23).plusMinutes(30)));
        }
        assertEquals(1, engine.counters().rotationsStarted());
        assertEquals(1, engine.counters().rotationsFinished());
        assertEquals(0, engine.counters().rotationErrors());
    }

    @Test
    public void s15_unitChangeIsRejectedOtherChangesApply() {
        try (Tsdb db = open(DAILY)) {
            try {
                db.updateOptions(db.options().withSegmentInterval(IntervalRule.hours(24)));
                fail("unit change");
            } catch (StorageException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("cannot change from DAY to HOUR"));
            }
            TsdbOptions changed = db.options().withSegmentInterval(IntervalRule.days(2))
                    .withTtl(IntervalRule.days(7)).withShardNum(4);
            db.updateOptions(changed);
            assertEquals(changed, db.options());
            SegmentInfo twoDays = db.segmentFor(utc(2024, 1, 1, 1, 0, 0));
            assertEquals("the new interval num applies to new segments", utc(2023, 12, 31, 0, 0, 0), twoDays.startMillis());
            assertEquals(utc(2024, 1, 2, 0, 0, 0), twoDays.endMillis());
        }
    }
}
