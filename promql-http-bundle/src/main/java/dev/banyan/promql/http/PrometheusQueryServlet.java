package dev.banyan.promql.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.api.ApiServlet;
import dev.banyan.http.api.BanyanHttp;
import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.PromQLEngine;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;

/**
 * The Prometheus HTTP query API (Prometheus 2.42's {@code /api/v1}) on Banyan's servlet context, so
 * with its authentication: {@code query}, {@code query_range}, {@code series}, {@code labels},
 * {@code label/<name>/values}, {@code metadata}, {@code status/buildinfo} and
 * {@code query_exemplars}, by GET or form-encoded POST, answered in the API's JSON envelope.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-prometheus-query")
@HttpWhiteboardServletPattern({"/api/v1/query", "/api/v1/query_range", "/api/v1/series", "/api/v1/labels",
        "/api/v1/label/*", "/api/v1/metadata", "/api/v1/status/buildinfo", "/api/v1/query_exemplars"})
public final class PrometheusQueryServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    /** The Prometheus version whose API and PromQL semantics Banyan follows (clients read it from buildinfo). */
    static final String PROMETHEUS_VERSION = "2.42.0";

    private final transient PromQLEngine engine;
    /** Optional: while it restarts with the node's components this endpoint stays and answers 503, never 404. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile SeriesSource source;
    private final transient QuerySettings settings;

    /**
     * @param whiteboard held only while Pax Web's server is started (its runtime publishes an
     *                   {@code osgi.http.endpoint} URL then, and "/" while stopped): a restart of the
     *                   server (a port change) unregisters this servlet and registers it afresh once the
     *                   server is back. Pax Web 8 re-processing the servlet itself lost it for good when
     *                   it came before Banyan's context, which another bundle registers.
     * @param settings   the query limits, apart from this component: no configuration property ever
     *                   changes this servlet's service, which the whiteboard would re-register
     */
    @Activate
    public PrometheusQueryServlet(@Reference PromQLEngine engine,
            @Reference(target = "(" + HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT + "=*://*)") HttpServiceRuntime whiteboard,
            @Reference QuerySettings settings) {
        this.engine = engine;
        this.settings = settings;
    }

    private SeriesSource source() {
        return serving(source, "the series source (PromQL over the measure service)");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        handle(request, response);
    }

    private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        switch (path) {
            case "/api/v1/query" -> query(request, response);
            case "/api/v1/query_range" -> queryRange(request, response);
            case "/api/v1/series" -> series(request, response);
            case "/api/v1/labels" -> labels(request, response);
            case "/api/v1/metadata" -> writeSuccess(response, json -> {
                json.writeStartObject();
                json.writeEndObject();
            });
            case "/api/v1/status/buildinfo" -> buildInfo(response);
            case "/api/v1/query_exemplars" -> writeSuccess(response, json -> {
                json.writeStartArray();
                json.writeEndArray();
            });
            default -> labelValues(request, response, path);
        }
    }

    private QueryLimits limits(HttpServletRequest request) {
        QuerySettings.Limits c = settings.current();
        long timeout = c.queryTimeoutMs();
        String param = request.getParameter("timeout");
        if (param != null && !param.isEmpty()) {
            timeout = Math.min(timeout, Math.max(1, ApiParameters.duration("timeout", param)));
        }
        return new QueryLimits(timeout, c.maxSamples(), c.lookbackDeltaMs());
    }

    private static String required(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badData("invalid parameter \"" + name + "\": missing");
        }
        return value;
    }

    private static ApiException apiError(QueryException e) {
        return new ApiException(e.type().httpStatus(), e.type().apiName(), e.getMessage(), e);
    }

    private void query(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String expr = required(request, "query");
        long time = ApiParameters.time("time", request.getParameter("time"), System.currentTimeMillis());
        QueryLimits limits = limits(request);
        QueryResult result;
        try {
            result = engine.instantQuery(source(), expr, time, limits);
        } catch (QueryException e) {
            throw apiError(e);
        }
        writeSuccess(response, json -> writeResult(json, result));
    }

    private void queryRange(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String expr = required(request, "query");
        long start = ApiParameters.time("start", request.getParameter("start"));
        long end = ApiParameters.time("end", request.getParameter("end"));
        long step = ApiParameters.duration("step", request.getParameter("step"));
        QueryLimits limits = limits(request);
        QueryResult result;
        try {
            result = engine.rangeQuery(source(), expr, start, end, step, limits);
        } catch (QueryException e) {
            throw apiError(e);
        }
        writeSuccess(response, json -> writeResult(json, result));
    }

    private static void writeResult(JsonGenerator json, QueryResult result) throws IOException {
        json.writeStartObject();
        json.writeStringField("resultType", result.type().apiName());
        json.writeFieldName("result");
        switch (result.type()) {
            case SCALAR -> writePoint(json, result.time(), QueryResult.formatValue(result.scalar()));
            case STRING -> writePoint(json, result.time(), result.string());
            default -> {
                json.writeStartArray();
                for (Series s : result.series()) {
                    json.writeStartObject();
                    json.writeFieldName("metric");
                    writeLabels(json, s.labels());
                    if (result.type() == QueryResult.ResultType.VECTOR) {
                        json.writeFieldName("value");
                        writePoint(json, result.time(), QueryResult.formatValue(s.values()[0]));
                    } else {
                        json.writeArrayFieldStart("values");
                        for (int i = 0; i < s.size(); i++) {
                            writePoint(json, s.timestamps()[i], QueryResult.formatValue(s.values()[i]));
                        }
                        json.writeEndArray();
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
        }
        json.writeEndObject();
    }

    private static void writePoint(JsonGenerator json, long timeMs, String value) throws IOException {
        json.writeStartArray();
        json.writeNumber(ApiParameters.seconds(timeMs));
        json.writeString(value);
        json.writeEndArray();
    }

    private static void writeLabels(JsonGenerator json, Labels labels) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            json.writeStringField(labels.name(i), labels.value(i));
        }
        json.writeEndObject();
    }

    /** The {@code match[]} selectors, each parsed; empty if none was given. */
    private List<List<LabelMatcher>> matchSets(HttpServletRequest request) {
        String[] values = request.getParameterValues("match[]");
        List<List<LabelMatcher>> sets = new ArrayList<>();
        if (values != null) {
            for (String selector : values) {
                try {
                    sets.add(engine.parseSelector(selector));
                } catch (QueryException e) {
                    throw ApiException.badData("invalid parameter \"match[]\": " + e.getMessage());
                }
            }
        }
        return sets;
    }

    /** The label sets of the series matching any of the selectors, sorted and distinct. */
    private Set<Labels> matchingSeries(List<List<LabelMatcher>> sets, long start, long end) {
        Set<Labels> found = new TreeSet<>();
        try {
            for (List<LabelMatcher> matchers : sets) {
                found.addAll(source().series(matchers, start, end));
            }
        } catch (QueryException e) {
            throw apiError(e);
        }
        return found;
    }

    private void series(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<List<LabelMatcher>> sets = matchSets(request);
        if (sets.isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        long[] range = ApiParameters.range(request.getParameter("start"), request.getParameter("end"));
        long start = range[0];
        long end = range[1];
        Set<Labels> found = matchingSeries(sets, start, end);
        writeSuccess(response, json -> {
            json.writeStartArray();
            for (Labels labels : found) {
                writeLabels(json, labels);
            }
            json.writeEndArray();
        });
    }

    private void labels(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<List<LabelMatcher>> sets = matchSets(request);
        long[] range = ApiParameters.range(request.getParameter("start"), request.getParameter("end"));
        long start = range[0];
        long end = range[1];
        Set<String> names = new TreeSet<>();
        if (sets.isEmpty()) {
            try {
                names.addAll(source().labelNames(start, end));
            } catch (QueryException e) {
                throw apiError(e);
            }
        } else {
            for (Labels labels : matchingSeries(sets, start, end)) {
                for (int i = 0; i < labels.size(); i++) {
                    names.add(labels.name(i));
                }
            }
        }
        writeStrings(response, names);
    }

    private void labelValues(HttpServletRequest request, HttpServletResponse response, String path) throws IOException {
        String[] parts = path.split("/", -1); // "", "api", "v1", "label", <name>, "values"
        if (parts.length != 6 || !parts[3].equals("label") || !parts[5].equals("values")) {
            throw ApiException.notFound("no such endpoint: " + path);
        }
        String name = parts[4];
        if (!LABEL_NAME.matcher(name).matches()) {
            throw ApiException.badData("invalid label name: \"" + name + "\"");
        }
        List<List<LabelMatcher>> sets = matchSets(request);
        long[] range = ApiParameters.range(request.getParameter("start"), request.getParameter("end"));
        long start = range[0];
        long end = range[1];
        Set<String> values = new TreeSet<>();
        if (sets.isEmpty()) {
            try {
                values.addAll(source().labelValues(name, start, end));
            } catch (QueryException e) {
                throw apiError(e);
            }
        } else {
            for (Labels labels : matchingSeries(sets, start, end)) {
                if (labels.has(name)) {
                    values.add(labels.get(name));
                }
            }
        }
        writeStrings(response, values);
    }

    private static void writeStrings(HttpServletResponse response, Set<String> strings) throws IOException {
        writeSuccess(response, json -> {
            json.writeStartArray();
            for (String s : strings) {
                json.writeString(s);
            }
            json.writeEndArray();
        });
    }

    private static void buildInfo(HttpServletResponse response) throws IOException {
        String bundleVersion = String.valueOf(FrameworkUtil.getBundle(PrometheusQueryServlet.class) == null ? "dev"
                : FrameworkUtil.getBundle(PrometheusQueryServlet.class).getVersion());
        Map<String, String> info = Map.of("version", PROMETHEUS_VERSION, "revision", "banyan-" + bundleVersion,
                "branch", "banyan", "buildUser", "banyan", "buildDate", "", "goVersion", "");
        writeSuccess(response, json -> {
            json.writeStartObject();
            for (String key : new TreeSet<>(info.keySet())) {
                json.writeStringField(key, info.get(key));
            }
            json.writeEndObject();
        });
    }
}
