package dev.banyan.storage.api;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * [S17] One condition on a tag of the series a {@link Query} or a series listing selects:
 * {@code tag = value}, {@code tag != value}, {@code tag =~ regex} or {@code tag !~ regex}, the four
 * label matchers of Prometheus. A series without the tag matches as if its value were the empty
 * string, as Prometheus treats an absent label, so {@code tag != "x"} selects series without the tag
 * and {@code tag = ""} selects exactly those.
 * <p>
 * Regular expressions are RE2's (Go's, as Prometheus uses them) and must match the whole value
 * (Prometheus anchors them at both ends). They are translated to {@link Pattern}s by
 * {@link #compileRe2}: {@code (?P<name>...)} becomes {@code (?<name>...)}, POSIX classes such as
 * {@code [[:digit:]]} are translated, {@code [} and {@code &} inside a class are literals as in RE2,
 * and what RE2 does not have (look-around, back-references, atomic groups, possessive quantifiers)
 * is refused with an {@link IllegalArgumentException} naming the construct instead of silently
 * meaning something else. Unicode classes follow Java's names ({@code \p{IsGreek}} rather than RE2's
 * {@code \p{Greek}}).
 */
public final class TagMatcher {

    /** The four operators. */
    public enum Op {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    private final String tag;
    private final Op op;
    private final String value;
    private final Pattern pattern;

    private TagMatcher(String tag, Op op, String value, Pattern pattern) {
        this.tag = tag;
        this.op = op;
        this.value = value;
        this.pattern = pattern;
    }

    /**
     * @param value the value, or for {@code REGEX} and {@code NOT_REGEX} an RE2 regular expression
     * @throws IllegalArgumentException if a regular expression is not valid RE2 (naming the construct)
     */
    public static TagMatcher of(String tag, Op op, String value) {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
        Pattern pattern = op == Op.REGEX || op == Op.NOT_REGEX ? compileRe2(value) : null;
        return new TagMatcher(tag, op, value, pattern);
    }

    public static TagMatcher equal(String tag, String value) {
        return of(tag, Op.EQUAL, value);
    }

    public static TagMatcher notEqual(String tag, String value) {
        return of(tag, Op.NOT_EQUAL, value);
    }

    public static TagMatcher regex(String tag, String re2) {
        return of(tag, Op.REGEX, re2);
    }

    public static TagMatcher notRegex(String tag, String re2) {
        return of(tag, Op.NOT_REGEX, re2);
    }

    public String tag() {
        return tag;
    }

    public Op op() {
        return op;
    }

    public String value() {
        return value;
    }

    /** Whether a tag value ({@code ""} or null for a series without the tag) satisfies this matcher. */
    public boolean matches(String tagValue) {
        String v = tagValue == null ? "" : tagValue;
        return switch (op) {
            case EQUAL -> value.equals(v);
            case NOT_EQUAL -> !value.equals(v);
            case REGEX -> pattern.matcher(v).matches();
            case NOT_REGEX -> !pattern.matcher(v).matches();
        };
    }

    /** Whether a series with these tags (entity and others) satisfies this matcher. */
    public boolean matches(Map<String, String> tags) {
        return matches(tags.get(tag));
    }

    /**
     * Compiles an RE2 regular expression to a Java pattern that must match a whole string
     * ({@link java.util.regex.Matcher#matches()}); see the class comment for the translation.
     *
     * @throws IllegalArgumentException naming an RE2-invalid construct or what is wrong with the
     *                                  expression (never quoting the internal translation: the caller
     *                                  names the expression as its client wrote it)
     */
    public static Pattern compileRe2(String re2) {
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
        try {
            return Pattern.compile(java.append(')').toString());
        } catch (PatternSyntaxException e) {
            // Java's message quotes the translated pattern and an index into it; the caller names the client's own.
            throw new IllegalArgumentException(e.getDescription(), e);
        }
    }

    private static boolean escaped(String s, int i) {
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\s\\x0B"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

    @Override
    public boolean equals(Object o) {
        return o instanceof TagMatcher m && tag.equals(m.tag) && op == m.op && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, op, value);
    }

    @Override
    public String toString() {
        return tag + op.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
