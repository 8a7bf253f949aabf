package dev.banyan.promql.http;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.banyan.http.api.ApiException;

/** Parameter values of the Prometheus HTTP API, read as Prometheus 2.42's web/api/v1 reads them. */
final class ApiParameters {

    /** The earliest and latest times when a request gives none (ms; halved to keep arithmetic safe). */
    static final long MIN_TIME_MS = Long.MIN_VALUE / 4;
    static final long MAX_TIME_MS = Long.MAX_VALUE / 4;

    private static final Pattern DURATION = Pattern.compile(
            "(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?");
    private static final long[] UNITS_MS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    private ApiParameters() {
    }

    /**
     * A timestamp: Unix seconds with up to millisecond precision ({@code 1704146400.5}) or RFC 3339;
     * in ms, clamped to [{@link #MIN_TIME_MS}, {@link #MAX_TIME_MS}] (some 73 million years either
     * way) so that no arithmetic on it (lookback, ranges) can overflow.
     */
    static long time(String name, String value) {
        return Math.max(MIN_TIME_MS, Math.min(MAX_TIME_MS, unclampedTime(name, value)));
    }

    /**
     * The optional {@code start} and {@code end} of the metadata endpoints (series, labels, label
     * values), by default the whole time line.
     *
     * @throws ApiException 400 if either is malformed or the end is before the start
     */
    static long[] range(String start, String end) {
        long from = time("start", start, MIN_TIME_MS);
        long to = time("end", end, MAX_TIME_MS);
        if (to < from) {
            throw ApiException.badData("invalid parameter \"end\": end timestamp must not be before start time");
        }
        return new long[] {from, to};
    }

    private static long unclampedTime(String name, String value) {
        if (value != null && FLOAT.matcher(value).matches()) {
            try {
                return new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            } catch (ArithmeticException e) {
                throw invalid(name, "cannot parse \"" + value + "\" to a valid timestamp");
            }
        }
        if (value != null) {
            try {
                return OffsetDateTime.parse(value).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                // reported below
            }
        }
        throw invalid(name, "cannot parse \"" + (value == null ? "" : value) + "\" to a valid timestamp");
    }

    static long time(String name, String value, long absent) {
        return value == null || value.isEmpty() ? absent : time(name, value);
    }

    /** A duration: seconds as a float ({@code 15}, {@code 0.5}) or a Prometheus duration ({@code 1m30s}); in ms. */
    static long duration(String name, String value) {
        if (value != null && FLOAT.matcher(value).matches()) {
            try {
                return new BigDecimal(value).movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            } catch (ArithmeticException e) {
                throw invalid(name, "cannot parse \"" + value + "\" to a valid duration. It overflows int64");
            }
        }
        Matcher m = value == null || value.isEmpty() ? null : DURATION.matcher(value);
        if (m == null || !m.matches()) {
            throw invalid(name, "cannot parse \"" + (value == null ? "" : value) + "\" to a valid duration");
        }
        long ms = 0;
        for (int g = 1; g <= UNITS_MS.length; g++) {
            if (m.group(g) != null) {
                try {
                    ms = Math.addExact(ms, Math.multiplyExact(Long.parseLong(m.group(g)), UNITS_MS[g - 1]));
                } catch (ArithmeticException | NumberFormatException e) {
                    throw invalid(name, "cannot parse \"" + value + "\" to a valid duration. It overflows int64");
                }
            }
        }
        return ms;
    }

    private static ApiException invalid(String name, String message) {
        return ApiException.badData("invalid parameter \"" + name + "\": " + message);
    }

    /** A timestamp as Prometheus writes it: Unix seconds, up to three decimals. */
    static String seconds(long ms) {
        return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    }
}
