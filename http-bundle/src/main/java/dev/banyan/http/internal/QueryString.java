package dev.banyan.http.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a request's query string. Servlets of bodies they read themselves must not
 * call {@code getParameter}: for a POST sent as {@code application/x-www-form-urlencoded} (curl's
 * default) the container would consume the body as a form.
 */
public final class QueryString {

    private QueryString() {
    }

    /** Name to first value; a malformed escape keeps the raw text. */
    public static Map<String, String> parse(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parseAll(query).forEach((name, values) -> parameters.put(name, values.get(0)));
        return parameters;
    }

    /**
     * Name to every value in order, for a query string or an {@code application/x-www-form-urlencoded}
     * body ({@code +} is a space); a malformed escape keeps the raw text.
     */
    public static Map<String, List<String>> parseAll(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
