package dev.banyan.http.internal.influx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.banyan.http.internal.ingest.SchemalessWriter;
import dev.banyan.schema.api.Names;
import dev.banyan.server.api.SchemalessLayout;

/**
 * InfluxDB line protocol (https://docs.influxdata.com/influxdb/v1/write_protocols/line_protocol_reference/):
 * {@code measurement[,tag=value...] field=value[,field=value...] [timestamp]}, one point per line;
 * empty lines and lines starting with {@code #} are skipped. Backslash escapes ',' and ' ' in the
 * measurement and ',', '=' and ' ' in tag keys, tag values and field keys.
 * <p>
 * Field values Banyan stores: floats ({@code 1}, {@code -1.5e3}) as DOUBLE, integers ({@code 1i})
 * and unsigned integers up to 2^63-1 ({@code 1u}) as LONG. String and boolean fields, names outside
 * the registry's rules and the reserved tag key {@value SchemalessLayout#ENTITY_TAG} refuse their line.
 */
public final class LineProtocol {

    /** One parsed point; {@code timestamp} is in the request's precision, null when the line has none. */
    public record Point(String measurement, SortedMap<String, String> tags, Map<String, Number> fields, Long timestamp) {
    }

    /** A line that cannot be stored: {@code line} is 1-based, the message says what is wrong. */
    public record Refusal(int line, String message) {
    }

    /** Parsed points with their 1-based line numbers, and refused lines. */
    public record Result(List<Point> points, List<Integer> lines, List<Refusal> refusals, int lineCount) {
    }

    private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private LineProtocol() {
    }

    public static Result parse(String body) {
        List<Point> points = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < body.length()) {
            int end = endOfLine(body, start);
            lineNumber++;
            String line = body.substring(start, end);
            start = end + 1;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                points.add(new Parser(trimmed).point());
                lines.add(lineNumber);
            } catch (IllegalArgumentException e) {
                refusals.add(new Refusal(lineNumber, e.getMessage()));
            }
        }
        return new Result(points, lines, refusals, lineNumber);
    }

    /** The index of the newline ending the line at {@code start} (or the end): a newline inside a quoted field value does not end it. */
    private static int endOfLine(String body, int start) {
        boolean quoted = false;
        int spaces = 0;
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\n' && !quoted) {
                return i;
            } else if (c == ' ' && !quoted) {
                spaces++;
            } else if (c == '"' && spaces >= 1) {
                quoted = !quoted; // quotes delimit strings only among the fields
            }
        }
        return body.length();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Point point() {
            String measurement = token(",  ".toCharArray(), "measurement");
            if (!Names.MEASURE.matcher(measurement).matches()) {
                throw new IllegalArgumentException("measurement '" + measurement + "' is not a valid measure name (1-255 "
                        + "letters, digits, '_', ':', '.' or '-', not starting with '.' or '-')");
            }
            SortedMap<String, String> tags = new TreeMap<>();
            while (peek() == ',') {
                pos++;
                String key = token(new char[] {'='}, "tag key");
                expect('=', "after tag key '" + key + "'");
                String value = token(new char[] {',', ' '}, "value of tag '" + key + "'");
                checkName("tag key", key);
                if (key.equals(SchemalessLayout.ENTITY_TAG)) {
                    throw new IllegalArgumentException("tag key '" + key + "' is reserved (it holds a series' whole tag set)");
                }
                if (tags.put(key, value) != null) {
                    throw new IllegalArgumentException("tag '" + key + "' appears twice");
                }
            }
            if (peek() != ' ') {
                throw new IllegalArgumentException("expected a space and the fields after " + (tags.isEmpty() ? "the measurement"
                        : "the tags") + " at column " + (pos + 1));
            }
            skipSpaces();
            Map<String, Number> fields = new LinkedHashMap<>();
            do {
                if (peek() == ',') {
                    pos++;
                }
                String key = token(new char[] {'='}, "field key");
                expect('=', "after field key '" + key + "'");
                checkName("field key", key);
                Number value = fieldValue(key);
                if (fields.put(key, value) != null) {
                    throw new IllegalArgumentException("field '" + key + "' appears twice");
                }
                if (tags.containsKey(key)) {
                    throw new IllegalArgumentException(SchemalessWriter.nameClash(key));
                }
            } while (peek() == ',');
            Long timestamp = null;
            if (peek() == ' ') {
                skipSpaces();
                if (pos < text.length()) {
                    String digits = text.substring(pos).strip();
                    if (!INTEGER.matcher(digits).matches()) {
                        throw new IllegalArgumentException("timestamp '" + digits + "' is not an integer");
                    }
                    try {
                        timestamp = Long.parseLong(digits);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("timestamp " + digits + " is out of range");
                    }
                    pos = text.length();
                }
            }
            if (pos < text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.substring(pos) + "' at column " + (pos + 1));
            }
            return new Point(measurement, tags, fields, timestamp);
        }

        private Number fieldValue(String key) {
            if (peek() == '"') {
                throw new IllegalArgumentException("field '" + key + "' is a string; Banyan stores numeric fields only "
                        + "(floats as DOUBLE, integers as LONG)");
            }
            String raw = token(new char[] {',', ' '}, "value of field '" + key + "'");
            switch (raw) {
                case "t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE" ->
                    throw new IllegalArgumentException("field '" + key + "' is a boolean; Banyan stores numeric fields only "
                            + "(floats as DOUBLE, integers as LONG)");
                default -> {
                }
            }
            char suffix = raw.charAt(raw.length() - 1);
            if (suffix == 'i' || suffix == 'u') {
                String digits = raw.substring(0, raw.length() - 1);
                if (!INTEGER.matcher(digits).matches() || suffix == 'u' && digits.startsWith("-")) {
                    throw new IllegalArgumentException("field '" + key + "' = " + raw + " is not a valid "
                            + (suffix == 'i' ? "integer" : "unsigned integer"));
                }
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("field '" + key + "' = " + raw + " does not fit a LONG field ("
                            + Long.MIN_VALUE + " to " + Long.MAX_VALUE + ")");
                }
            }
            if (!FLOAT.matcher(raw).matches()) {
                String sign = raw.startsWith("-") || raw.startsWith("+") ? raw.substring(1) : raw;
                if (sign.equalsIgnoreCase("nan") || sign.equalsIgnoreCase("inf") || sign.equalsIgnoreCase("infinity")) {
                    throw new IllegalArgumentException("field '" + key + "' = " + raw + ": line protocol has no NaN or infinite "
                            + "floats (InfluxDB refuses them too); leave the field out of the line instead");
                }
                throw new IllegalArgumentException("field '" + key + "' = " + raw + " is not a field value: write a float (1.5), "
                        + "an integer (1i) or an unsigned integer (1u)");
            }
            double value = Double.parseDouble(raw);
            if (Double.isInfinite(value)) {
                throw new IllegalArgumentException("field '" + key + "' = " + raw + " is beyond the range of a double");
            }
            return value;
        }

        /** Reads up to an unescaped stop character; backslash escapes ',', '=', ' ' and itself. */
        private String token(char[] stops, String what) {
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\' && pos + 1 < text.length() && "=, \\".indexOf(text.charAt(pos + 1)) >= 0) {
                    out.append(text.charAt(pos + 1));
                    pos += 2;
                    continue;
                }
                boolean stop = c == '\n';
                for (char s : stops) {
                    stop |= c == s;
                }
                if (stop) {
                    break;
                }
                out.append(c);
                pos++;
            }
            if (out.length() == 0) {
                throw new IllegalArgumentException("missing " + what + " at column " + (pos + 1));
            }
            return out.toString();
        }

        private void checkName(String what, String name) {
            if (!Names.MEMBER.matcher(name).matches()) {
                throw new IllegalArgumentException(what + " '" + name + "' is not a valid name (1-255 letters, digits, '_', "
                        + "'.' or '-', not starting with '.' or '-')");
            }
        }

        private void expect(char c, String where) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' " + where + " at column " + (pos + 1));
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpaces() {
            while (peek() == ' ') {
                pos++;
            }
        }
    }
}
