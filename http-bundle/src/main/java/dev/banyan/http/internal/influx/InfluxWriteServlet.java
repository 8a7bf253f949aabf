package dev.banyan.http.internal.influx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.api.ApiServlet;
import dev.banyan.http.api.BanyanHttp;
import dev.banyan.http.internal.GroupNames;
import dev.banyan.http.internal.HttpSettings;
import dev.banyan.http.internal.QueryString;
import dev.banyan.http.internal.RequestBodies;
import dev.banyan.http.internal.Settings;
import dev.banyan.http.internal.ingest.IngestBatch;
import dev.banyan.http.internal.ingest.SchemalessWriter;
import dev.banyan.http.internal.ingest.SeriesTextLimit;
import dev.banyan.schema.api.Names;

/**
 * InfluxDB line protocol writes: {@code POST /write?db=&precision=} (InfluxDB 1.x; {@code rp} and
 * {@code consistency} are accepted and ignored) and {@code POST /api/v2/write?bucket=&org=&precision=}
 * (InfluxDB 2.x; {@code org} is ignored, a bucket {@code db/rp} names group {@code db}). The database
 * or bucket is the group, the measurement a measure, the tag set the series identity, each field a
 * field. {@code Content-Encoding: gzip} is accepted.
 * <p>
 * Partial writes, as InfluxDB does them: every line that can be stored is stored; if any line is
 * refused (malformed, a string or boolean field, a type conflict, a field the measure lacks, a
 * timestamp the storage refuses) the answer is 400 {@code partial write} naming each refused line
 * (the first ten) and how many were stored. 204 when every line is stored.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-influx-write")
@HttpWhiteboardServletPattern({ "/write", "/api/v2/write" })
public final class InfluxWriteServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final int NAMED_REFUSALS = 10;

    private final transient HttpSettings settings;
    /** Optional: while it restarts with the node's components this endpoint stays and answers 503, never 404. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile SchemalessWriter writer;

    @Activate
    public InfluxWriteServlet(@Reference HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Settings current = settings.current();
        boolean v2 = isV2(request);
        Map<String, String> query = QueryString.parse(request.getQueryString());
        String database = query.get(v2 ? "bucket" : "db");
        if (database == null || database.isBlank()) {
            throw ApiException.badData(v2 ? "bucket is required (?bucket=)" : "database is required (?db=)");
        }
        if (v2 && database.contains("/")) {
            database = database.substring(0, database.indexOf('/'));
        }
        GroupNames.checked(database, v2 ? "bucket" : "database");
        Precision precision = Precision.of(query.get("precision"), v2);
        String body = new String(RequestBodies.readGzipOrIdentity(request, current.maxRequestBytes()), StandardCharsets.UTF_8);
        LineProtocol.Result parsed = LineProtocol.parse(body);
        SortedMap<Integer, String> refused = new TreeMap<>();
        parsed.refusals().forEach(r -> refused.put(r.line(), "line " + r.line() + ": " + r.message()));
        IngestBatch batch = new IngestBatch(line -> "line " + line);
        long now = System.currentTimeMillis();
        // One tag map per series of the request, so the writer resolves each series once, not once per line.
        Map<SortedMap<String, String>, SortedMap<String, String>> series = new HashMap<>();
        for (int i = 0; i < parsed.points().size(); i++) {
            LineProtocol.Point point = parsed.points().get(i);
            int line = parsed.lines().get(i);
            String tooLarge = SeriesTextLimit.sizeProblem(point.measurement(), point.tags());
            if (tooLarge != null) {
                refused.put(line, "line " + line + ": " + tooLarge);
                continue;
            }
            try {
                long millis = point.timestamp() == null ? now : precision.toMillis(point.timestamp());
                batch.add(point.measurement(), series.computeIfAbsent(point.tags(), tags -> tags), millis, point.fields(), line);
            } catch (ArithmeticException e) {
                refused.put(line, "line " + line + ": timestamp " + point.timestamp() + " " + precision + " is out of range");
            }
        }
        long written = 0;
        if (batch.size() > 0) {
            SchemalessWriter.Outcome outcome = serving(writer, "the measure service").writeValid(database, batch, "influx");
            refused.putAll(outcome.refused());
            written = outcome.written();
        }
        if (!refused.isEmpty()) {
            List<String> named = refused.values().stream().limit(NAMED_REFUSALS).toList();
            throw ApiException.badData("partial write: " + refused.size() + " line(s) refused, " + written + " point(s) stored: "
                    + String.join("; ", named) + (refused.size() > NAMED_REFUSALS ? "; ..." : ""));
        }
        response.setStatus(204);
    }

    private static boolean isV2(HttpServletRequest request) {
        return request.getServletPath().startsWith("/api/v2");
    }

    /** InfluxDB's own error shapes ({@link InfluxErrors}). */
    @Override
    protected void writeError(HttpServletRequest request, HttpServletResponse response, ApiException error) throws IOException {
        InfluxErrors.write(response, request.getServletPath(), error.status(), error.getMessage());
    }

    /** The precision of line protocol timestamps: v1 {@code n|ns|u|us|ms|s|m|h} (default ns), v2 {@code ns|us|ms|s}. */
    enum Precision {
        NANOSECONDS(1, 1_000_000), MICROSECONDS(1, 1_000), MILLISECONDS(1, 1), SECONDS(1_000, 1), MINUTES(60_000, 1),
        HOURS(3_600_000, 1);

        private final long multiply;
        private final long divide;

        Precision(long multiply, long divide) {
            this.multiply = multiply;
            this.divide = divide;
        }

        long toMillis(long timestamp) {
            return Math.floorDiv(Math.multiplyExact(timestamp, multiply), divide);
        }

        static Precision of(String text, boolean v2) {
            if (text == null || text.isEmpty()) {
                return NANOSECONDS;
            }
            return switch (text) {
                case "n", "ns" -> NANOSECONDS;
                case "u", "us", "\u00b5" -> MICROSECONDS;
                case "ms" -> MILLISECONDS;
                case "s" -> SECONDS;
                case "m" -> MINUTES;
                case "h" -> HOURS;
                default -> throw ApiException.badData("precision '" + text + "' is not one of " + (v2 ? "ns, us, ms, s"
                        : "n, ns, u, us, ms, s, m, h"));
            };
        }
    }
}
