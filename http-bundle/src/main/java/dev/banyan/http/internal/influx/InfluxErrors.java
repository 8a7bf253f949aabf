package dev.banyan.http.internal.influx;

import java.io.IOException;
import java.util.Set;

import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The one owner of InfluxDB's error bodies, so that its clients (the influx CLI, Telegraf, the v2
 * client libraries) can read every refusal, including a 401 from the servlet context: InfluxDB 1.x
 * answers {@code {"error":"..."}}, 2.x {@code {"code":"...","message":"..."}} with the codes of its
 * API reference.
 */
public final class InfluxErrors {

    /** Request paths answered in InfluxDB's shapes; {@code /api/v2/} paths in the 2.x shape. */
    public static final Set<String> PATHS = Set.of("/write", "/query", "/api/v2/write");

    private static final JsonFactory JSON = new JsonFactory();

    private InfluxErrors() {
    }

    /** Whether {@code path} (below the context) is one of InfluxDB's endpoints. */
    public static boolean isInfluxPath(String path) {
        return PATHS.contains(path);
    }

    /** Writes the error body for {@code path}'s InfluxDB version with {@code status}. */
    public static void write(HttpServletResponse response, String path, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        try (JsonGenerator json = JSON.createGenerator(response.getOutputStream(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            if (path.startsWith("/api/v2/")) {
                json.writeStringField("code", switch (status) {
                    case 400 -> "invalid";
                    case 401 -> "unauthorized";
                    case 404 -> "not found";
                    case 405 -> "method not allowed";
                    case 413 -> "request too large";
                    case 415 -> "unsupported media type";
                    case 503 -> "unavailable";
                    default -> "internal error";
                });
                json.writeStringField("message", message);
            } else {
                json.writeStringField("error", message);
            }
            json.writeEndObject();
        }
    }
}
