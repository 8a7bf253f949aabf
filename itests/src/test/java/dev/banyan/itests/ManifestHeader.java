package dev.banyan.itests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses an OSGi manifest header such as Import-Package into clauses with their attributes. */
public final class ManifestHeader {

    public record Clause(String name, Map<String, String> attributes) {
    }

    private ManifestHeader() {
    }

    public static List<Clause> parse(String header) {
        List<Clause> clauses = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return clauses;
        }
        for (String clause : splitOutsideQuotes(header, ',')) {
            List<String> parts = splitOutsideQuotes(clause, ';');
            Map<String, String> attributes = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (String part : parts) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    names.add(part.trim());
                    continue;
                }
                String key = part.substring(0, eq).trim();
                if (key.endsWith(":")) {
                    key = key.substring(0, key.length() - 1) + ":";
                }
                String value = part.substring(eq + 1).trim();
                if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
                    value = value.substring(1, value.length() - 1);
                }
                attributes.put(key, value);
            }
            // "a;b;version=1" declares the same attributes for packages a and b.
            for (String name : names) {
                clauses.add(new Clause(name, attributes));
            }
        }
        return clauses;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            parts.add(current.toString());
        }
        return parts;
    }
}
