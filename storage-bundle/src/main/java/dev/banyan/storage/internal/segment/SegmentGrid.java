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
 * {@code num x unit} anchored at 1970-01-01 00:00 in the group's naming zone (UTC for groups created
 * by this release, see {@link GroupMetadata}), so every node cuts time the same way whatever its
 * process time zone.
 */
public final class SegmentGrid {

    public static final String PREFIX = Layout.SEGMENT_PREFIX;
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

    /** The start of a segment whose name encodes {@code local} (see {@link #parseName}), named in {@code zone}. */
    public static long startOf(LocalDateTime local, ZoneId zone) {
        return local.atZone(zone).toInstant().toEpochMilli();
    }

    /** The interval unit a segment dir name encodes: 8 digits DAY, 10 digits HOUR; null for neither. */
    public static IntervalUnit unitOfName(String name) {
        int digits = name.length() - PREFIX.length();
        return digits == 8 ? IntervalUnit.DAY : digits == 10 ? IntervalUnit.HOUR : null;
    }

    /**
     * [S11] The local date and time a segment dir name encodes, in whatever zone it was named in.
     *
     * @throws IllegalArgumentException if the name is not {@code seg-yyyyMMdd} or {@code seg-yyyyMMddHH}
     */
    public static LocalDateTime parseName(String name) {
        IntervalUnit unit = name.startsWith(PREFIX) ? unitOfName(name) : null;
        if (unit == null || !name.substring(PREFIX.length()).chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("expected seg-yyyyMMdd or seg-yyyyMMddHH: " + name);
        }
        String stamp = name.substring(PREFIX.length());
        DateTimeFormatter format = unit == IntervalUnit.DAY ? DAY_NAME : HOUR_NAME;
        LocalDateTime local;
        try {
            local = unit == IntervalUnit.DAY ? LocalDate.parse(stamp, format).atStartOfDay() : LocalDateTime.parse(stamp, format);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unparsable segment dir: " + name, e);
        }
        // The parser bends impossible dates (20240231 would read as 20240229): only names it writes back count.
        if (!format.format(local).equals(stamp)) {
            throw new IllegalArgumentException("unparsable segment dir: " + name + " is not a calendar date");
        }
        return local;
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
