package dev.banyan.shell.internal;

import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.IntervalUnit;

/** Parses intervals such as {@code 1d} or {@code 12h} as operators type them. */
final class Durations {

    private Durations() {
    }

    static IntervalRule rule(String option, String text) {
        if (text != null && text.matches("\\d{1,6}[hd]")) {
            int num = Integer.parseInt(text.substring(0, text.length() - 1));
            return new IntervalRule(text.endsWith("d") ? IntervalUnit.DAY : IntervalUnit.HOUR, num);
        }
        throw new IllegalArgumentException(option + ": expected a number of hours or days such as 12h or 7d, got '" + text + "'");
    }

    static long millis(String option, String text) {
        if (text != null && text.matches("0*[1-9]\\d{0,8}[smhd]")) {
            long num = Long.parseLong(text.substring(0, text.length() - 1));
            return num * switch (text.charAt(text.length() - 1)) {
                case 's' -> 1_000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                default -> 86_400_000L;
            };
        }
        throw new IllegalArgumentException(option + ": expected a positive duration such as 30s, 5m, 1h or 1d, got '" + text + "'");
    }

    /** Epoch milliseconds, {@code now}, or an ISO-8601 instant such as 2024-01-01T12:00:00Z. */
    static long time(String option, String text) {
        if ("now".equals(text)) {
            return System.currentTimeMillis();
        }
        if (text.matches("\\d{1,15}")) {
            return Long.parseLong(text);
        }
        try {
            return java.time.Instant.parse(text).toEpochMilli();
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": expected epoch milliseconds, 'now' or an instant such as "
                    + "2024-01-01T12:00:00Z, got '" + text + "'");
        }
    }
}
