package dev.banyan.schema.api;

import java.util.regex.Pattern;

/** [R1] Names become directory names, so they are restricted to a safe alphabet and length. */
public final class Names {

    public static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private Names() {
    }

    /** @throws InvalidSchemaException naming {@code object} and {@code field} if {@code name} is not valid */
    public static String check(String object, String field, String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new InvalidSchemaException(object, field, "'" + name
                    + "' is not a valid name: use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
