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
     * must match a whole string ({@link java.util.regex.Matcher#matches()}): {@code (?P<name>...)}
     * becomes {@code (?<name>...)}, POSIX classes such as {@code [[:digit:]]} are translated, and
     * what RE2 does not have (look-around, back-references, atomic groups, possessive quantifiers)
     * is refused instead of silently meaning something else.
     *
     * @throws IllegalArgumentException naming the construct, or a {@link java.util.regex.PatternSyntaxException}
     */
    public static Pattern compileAnchored(String re2) {
        StringBuilder java = new StringBuilder(re2.length() + 8).append("(?:");
        boolean inClass = false;
        for (int i = 0; i < re2.length(); i++) {
            char c = re2.charAt(i);
            if (c == '\\' && i + 1 < re2.length()) {
                char n = re2.charAt(i + 1);
                if (!inClass && (n >= '1' && n <= '9' || n == 'k')) {
                    throw new IllegalArgumentException("invalid escape sequence \\" + n + " (RE2 has no back-references)");
                }
                java.append(c).append(n);
                i++;
                continue;
            }
            if (inClass) {
                if (c == '[' && re2.startsWith("[:", i)) {
                    int end = re2.indexOf(":]", i + 2);
                    String posix = end < 0 ? null : POSIX_CLASSES.get(re2.substring(i + 2, end));
                    if (posix == null) {
                        throw new IllegalArgumentException("invalid character class range " + re2.substring(i));
                    }
                    java.append(posix);
                    i = end + 1;
                } else if (c == '[' || c == '&') {
                    java.append('\\').append(c); // literal in RE2, an operator in Java
                } else {
                    if (c == ']' && !(java.charAt(java.length() - 1) == '[' || java.toString().endsWith("[^"))) {
                        inClass = false;
                    }
                    java.append(c);
                }
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == '(' && re2.startsWith("(?P<", i)) {
                java.append("(?<");
                i += 3;
                continue;
            } else if (c == '(' && (re2.startsWith("(?=", i) || re2.startsWith("(?!", i) || re2.startsWith("(?<", i)
                    || re2.startsWith("(?>", i))) {
                throw new IllegalArgumentException("invalid or unsupported Perl syntax: " + re2.substring(i, i + 3));
            } else if (c == '+' && i > 0 && "*+?}".indexOf(re2.charAt(i - 1)) >= 0 && !escaped(re2, i - 1)) {
                throw new IllegalArgumentException("invalid nested repetition operator: " + re2.substring(i - 1, i + 1));
            }
            java.append(c);
        }
        return Pattern.compile(java.append(')').toString());
    }

    private static boolean escaped(String s, int i) {
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static final java.util.Map<String, String> POSIX_CLASSES = java.util.Map.ofEntries(
            java.util.Map.entry("alnum", "\\p{Alnum}"), java.util.Map.entry("alpha", "\\p{Alpha}"),
            java.util.Map.entry("ascii", "\\p{ASCII}"), java.util.Map.entry("blank", "\\p{Blank}"),
            java.util.Map.entry("cntrl", "\\p{Cntrl}"), java.util.Map.entry("digit", "\\p{Digit}"),
            java.util.Map.entry("graph", "\\p{Graph}"), java.util.Map.entry("lower", "\\p{Lower}"),
            java.util.Map.entry("print", "\\p{Print}"), java.util.Map.entry("punct", "\\p{Punct}"),
            java.util.Map.entry("space", "\\s\\x0B"), java.util.Map.entry("upper", "\\p{Upper}"),
            java.util.Map.entry("word", "\\w"), java.util.Map.entry("xdigit", "\\p{XDigit}"));

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
