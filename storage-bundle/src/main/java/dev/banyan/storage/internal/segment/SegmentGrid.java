package dev.banyan.storage.internal.segment;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.IntervalUnit;

/**
 * [S1][S12] Where segments start and what their dirs are called: starts lie on a grid of
 * {@code num x unit} anchored at local 1970-01-01 00:00, so every node cuts time the same way.
 */
public final class SegmentGrid {

    public static final String PREFIX = "seg-";
    private static final LocalDateTime ANCHOR = LocalDate.of(1970, 1, 1).atStartOfDay();
    private static final DateTimeFormatter DAY_NAME = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter HOUR_NAME = DateTimeFormatter.ofPattern("yyyyMMddHH");

    private final IntervalRule interval;
    private final ZoneId zone;

    public SegmentGrid(IntervalRule interval, ZoneId zone) {
        this.interval = interval;
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The start of the grid cell holding {@code timestampMillis}. */
    public long alignedStart(long timestampMillis) {
        LocalDateTime local = LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(timestampMillis), zone);
        ChronoUnit unit = chronoUnit(interval.unit());
        LocalDateTime truncated = local.truncatedTo(unit == ChronoUnit.DAYS ? ChronoUnit.DAYS : ChronoUnit.HOURS);
        long cells = Math.floorDiv(unit.between(ANCHOR, truncated), interval.num());
        return toMillis(ANCHOR.plus(cells * interval.num(), unit));
    }

    /** The nominal end of a segment starting at {@code startMillis}: one interval later, in local time. */
    public long nominalEnd(long startMillis) {
        return toMillis(local(startMillis).plus(interval.num(), chronoUnit(interval.unit())));
    }

    public String dirName(long startMillis) {
        return PREFIX + (interval.unit() == IntervalUnit.DAY ? DAY_NAME : HOUR_NAME).format(local(startMillis));
    }

    /**
     * The start encoded in a segment dir name.
     *
     * @throws IllegalArgumentException if the name does not match this grid's unit
     */
    public long parseDirName(String name) {
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a segment dir: " + name);
        }
        String stamp = name.substring(PREFIX.length());
        try {
            if (interval.unit() == IntervalUnit.DAY) {
                if (stamp.length() != 8) {
                    throw new IllegalArgumentException("expected seg-yyyyMMdd: " + name);
                }
                return toMillis(LocalDate.parse(stamp, DAY_NAME).atStartOfDay());
            }
            if (stamp.length() != 10) {
                throw new IllegalArgumentException("expected seg-yyyyMMddHH: " + name);
            }
            return toMillis(LocalDateTime.parse(stamp, HOUR_NAME));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unparsable segment dir: " + name, e);
        }
    }

    /** The interval unit a segment dir name is written for, if it is a segment dir name at all. */
    public static java.util.Optional<IntervalUnit> unitOf(String name) {
        for (IntervalUnit unit : IntervalUnit.values()) {
            try {
                new SegmentGrid(new IntervalRule(unit, 1), java.time.ZoneOffset.UTC).parseDirName(name);
                return java.util.Optional.of(unit);
            } catch (IllegalArgumentException e) {
                // not this unit
            }
        }
        return java.util.Optional.empty();
    }

    private LocalDateTime local(long millis) {
        return LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), zone);
    }

    private long toMillis(LocalDateTime local) {
        return local.atZone(zone).toInstant().toEpochMilli();
    }

    private static ChronoUnit chronoUnit(IntervalUnit unit) {
        return unit == IntervalUnit.DAY ? ChronoUnit.DAYS : ChronoUnit.HOURS;
    }
}
