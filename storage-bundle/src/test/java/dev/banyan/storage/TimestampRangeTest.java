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
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.PointRejectedException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** [S12] What a write accepts, a reopen can read: the supported timestamp range, enforced at the door. */
public class TimestampRangeTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final long FIRST = 1L;
    private static final long LAST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    private static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    private static final SeriesRef SERIES = SeriesRef.of("cpu", "host", "h1");
    private static final TsdbOptions KEEP_ALL = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(1), 1).withRetention(false);

    /** The wall clock sits at the end of the range, so the write window refuses nothing in it. */
    private final TestClock clock = new TestClock(LAST, ZoneOffset.UTC);

    private TsdbEngine engine() {
        Path root = tmp.getRoot().toPath();
        return new TsdbEngine(root, StorageVersions.bundled(), clock);
    }

    private static void write(Tsdb db, long timestamp, double value) {
        db.write(new WriteBatch("cpu", VALUE, 1).add(SERIES, timestamp, value));
    }

    private static List<Long> timestamps(Tsdb db) {
        List<Long> all = new java.util.ArrayList<>();
        for (SeriesRows rows : db.query(Query.of("cpu", TimeRange.all())).series()) {
            for (long t : java.util.Arrays.copyOf(rows.timestamps(), rows.size())) {
                all.add(t);
            }
        }
        return all;
    }

    @Test
    public void s12_yearTenThousandIsRefusedNamingThePointAndTheReopenStillWorks() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", KEEP_ALL)) {
            write(db, LAST - 1000, 1);
            for (long beyond : new long[] {LAST + 1, 253402300800000L, Long.MAX_VALUE}) {
                try {
                    db.write(new WriteBatch("cpu", VALUE, 2).add(SERIES, LAST - 10, 5).add(SERIES, beyond, 2));
                    fail("accepted " + beyond);
                } catch (PointRejectedException e) {
                    assertEquals(1, e.point());
                    assertTrue(e.getMessage(), e.getMessage().contains("point 1"));
                    assertTrue(e.getMessage(), e.getMessage().contains(Long.toString(beyond)));
                    assertTrue(e.getMessage(), e.getMessage().contains("supported range [1970-01-01T00:00:00.001Z, 9999-12-31T23:59:59.999Z]"));
                }
            }
        }
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", KEEP_ALL)) {
            assertEquals("only the accepted point, nothing of the refused batches", List.of(LAST - 1000), timestamps(db));
        }
    }

    @Test
    public void s12_firstAndLastSupportedMillisecondsSurviveReopenInEveryInterval() {
        for (IntervalRule interval : List.of(IntervalRule.days(1), IntervalRule.days(7), IntervalRule.hours(5))) {
            String group = "g" + interval.num() + interval.unit();
            try (TsdbEngine engine = engine(); Tsdb db = engine.open(group, KEEP_ALL.withSegmentInterval(interval))) {
                write(db, FIRST, 1);
                write(db, LAST, 2);
            }
            try (TsdbEngine engine = engine(); Tsdb db = engine.open(group, KEEP_ALL.withSegmentInterval(interval))) {
                assertEquals(interval.toString(), List.of(FIRST, LAST), timestamps(db));
                write(db, LAST - 1, 3);
            }
        }
    }

    @Test
    public void s12_rotationNeverCreatesASegmentBeyondTheRange() {
        clock.set(LAST - Duration.ofMinutes(30).toMillis());
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", KEEP_ALL)) {
            write(db, clock.millis(), 1);
            assertEquals(1, db.segments().size());
        }
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", KEEP_ALL)) {
            assertEquals(1, timestamps(db).size());
        }
    }

    @Test
    public void s12_nonPositiveTimestampsAreRefusedNamingThePoint() {
        try (TsdbEngine engine = engine(); Tsdb db = engine.open("g", KEEP_ALL)) {
            for (long before : new long[] {0, -1, Long.MIN_VALUE}) {
                try {
                    write(db, before, 1);
                    fail("accepted " + before);
                } catch (PointRejectedException e) {
                    assertTrue(e.getMessage(), e.getMessage().contains("point 0"));
                    assertTrue(e.getMessage(), e.getMessage().contains("supported range"));
                }
            }
        }
    }
}
