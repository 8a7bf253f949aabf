package dev.banyan.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;

/**
 * A request whose parameters ({@code getParameter} and the like) Banyan reads itself instead of the
 * container: the query string and, for a POST sent as {@code application/x-www-form-urlencoded},
 * the form body, read only when a parameter is first asked for (servlets reading their body
 * themselves never trigger it) and refused with 413 beyond {@link #MAX_FORM_BYTES}. The container's
 * own form limit (Jetty's 200,000 bytes) would otherwise end in an exception no handler can tell
 * from a fault. Form values come before query string values, as in Go's {@code Request.FormValue}
 * that Prometheus uses.
 */
public final class FormRequest extends HttpServletRequestWrapper {

    /** Largest form body (bytes): Go's {@code ParseForm} limit, the one Prometheus's own API has. */
    public static final long MAX_FORM_BYTES = 10L << 20;

    private Map<String, String[]> parameters;

    public FormRequest(HttpServletRequest request) {
        super(request);
    }

    private Map<String, String[]> parameters() {
        if (parameters == null) {
            Map<String, List<String>> all = new LinkedHashMap<>();
            if ("POST".equals(getMethod()) && isForm(getContentType())) {
                byte[] body = RequestBodies.read((HttpServletRequest) getRequest(), MAX_FORM_BYTES,
                        "the largest form Banyan reads, as Prometheus's own API");
                all.putAll(QueryString.parseAll(new String(body, StandardCharsets.UTF_8)));
            }
            QueryString.parseAll(getQueryString()).forEach((name, values) ->
                    all.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
            Map<String, String[]> arrays = new LinkedHashMap<>();
            all.forEach((name, values) -> arrays.put(name, values.toArray(new String[0])));
            parameters = Collections.unmodifiableMap(arrays);
        }
        return parameters;
    }

    private static boolean isForm(String contentType) {
        return contentType != null && contentType.strip().toLowerCase().startsWith("application/x-www-form-urlencoded");
    }

    @Override
    public String getParameter(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(parameters().keySet());
    }
}
