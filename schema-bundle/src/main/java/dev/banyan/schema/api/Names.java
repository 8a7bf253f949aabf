package dev.banyan.schema.api;

import java.util.regex.Pattern;

/**
 * [R1] Rules for names. Group names become directory names, so they are restricted to a safe
 * alphabet and length. Measure, tag and field names never touch the file system; they follow the
 * identifiers of the protocols Banyan speaks: a Prometheus metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*},
 * e.g. {@code job:http_requests:rate5m}) is a valid measure name, a Prometheus label name
 * ({@code [a-zA-Z_][a-zA-Z0-9_]*}) a valid tag name, and so are the usual InfluxDB measurement,
 * tag and field keys.
 */
public final class Names {

    /** Group names: 1-64 characters, letters, digits, '_' or '-', starting with a letter or digit. */
    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** Measure names: 1-255 characters, letters, digits, '_', ':', '.' or '-', not starting with '.' or '-'. */
    public static final Pattern MEASURE = Pattern.compile("[A-Za-z0-9_:][A-Za-z0-9_:.-]{0,254}");

    /**
     * Tag and field names: 1-255 characters, letters, digits, '_', '.' or '-', not starting with '.'
     * or '-' (no ':', which the shell uses between a name and its type).
     */
    public static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");

    private Names() {
    }

    /** @throws InvalidSchemaException naming {@code object} and {@code field} if {@code name} is not a valid group name */
    public static String check(String object, String field, String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new InvalidSchemaException(object, field, "'" + name
                    + "' is not a valid name: use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** @throws InvalidSchemaException naming {@code object} and {@code field} if {@code name} is not a valid measure name */
    public static String checkMeasure(String object, String field, String name) {
        if (name == null || !MEASURE.matcher(name).matches()) {
            throw new InvalidSchemaException(object, field, "'" + name + "' is not a valid measure name: use 1-255 "
                    + "letters, digits, '_', ':', '.' or '-', not starting with '.' or '-'");
        }
        return name;
    }

    /** @throws InvalidSchemaException naming {@code object} and {@code field} if {@code name} is not a valid tag or field name */
    public static String checkMember(String object, String field, String name) {
        if (name == null || !MEMBER.matcher(name).matches()) {
            throw new InvalidSchemaException(object, field, "'" + name + "' is not a valid tag or field name: use 1-255 "
                    + "letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
        return name;
    }
}
