package dev.banyan.promql.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One label matcher of a selector: {@code name op "value"}. An absent label matches as the empty
 * string (so {@code {job!="x"}} selects series without {@code job}). Regular expressions are
 * anchored at both ends, as in Prometheus, and use RE2 syntax: Banyan refuses the Java-only
 * constructs (look-around, back-references, possessive quantifiers) when the query is parsed.
 */
public final class LabelMatcher {

    /** The four matcher operators of PromQL. */
    public enum Type {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Type(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String name;
    private final Type type;
    private final String value;
    private final Pattern pattern;

    private LabelMatcher(String name, Type type, String value, Pattern pattern) {
        this.name = name;
        this.type = type;
        this.value = value;
        this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException if a regex matcher's value is not a valid regular expression
     */
    public static LabelMatcher of(String name, Type type, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Pattern pattern = null;
        if (type == Type.REGEX || type == Type.NOT_REGEX) {
            pattern = compileAnchored(value);
        }
        return new LabelMatcher(name, type, value, pattern);
    }

    /**
     * Compiles an RE2 regular expression (Go's syntax, as Prometheus uses) to a Java pattern that
     * must match a whole string ({@link java.util.regex.Matcher#matches()}); the translation is the
     * storage's ({@link dev.banyan.storage.api.TagMatcher#compileRe2}), so a matcher means the same
     * in PromQL, remote read and the storage's index.
     *
     * @throws IllegalArgumentException naming the construct or what is wrong (not quoting the expression)
     */
    public static Pattern compileAnchored(String re2) {
        return dev.banyan.storage.api.TagMatcher.compileRe2(re2);
    }

    public static LabelMatcher equal(String name, String value) {
        return of(name, Type.EQUAL, value);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String value() {
        return value;
    }

    /** Whether a label value ({@code ""} for an absent label) satisfies this matcher. */
    public boolean matches(String labelValue) {
        return switch (type) {
            case EQUAL -> value.equals(labelValue);
            case NOT_EQUAL -> !value.equals(labelValue);
            case REGEX -> pattern.matcher(labelValue).matches();
            case NOT_REGEX -> !pattern.matcher(labelValue).matches();
        };
    }

    /** Whether a series with these labels is selected by this matcher. */
    public boolean matches(Labels labels) {
        return matches(labels.get(name));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMatcher m && name.equals(m.name) && type == m.type && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, value);
    }

    @Override
    public String toString() {
        return name + type.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
