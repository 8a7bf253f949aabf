package dev.banyan.promql.difftest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.api.Series;

/**
 * A query answer in a form two servers' answers can be compared in: status and error class, or the
 * result type and each series' points by label set (order-free, as the API does not promise one).
 */
public record ApiResult(String status, String errorType, String error, String resultType, Map<Labels, List<Point>> series,
        String string) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One point: time in ms and value. */
    public record Point(long timeMs, double value) {
    }

    /** Parses a Prometheus HTTP API response body. */
    public static ApiResult parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not a JSON API response: " + body, e);
        }
        String status = root.path("status").asText();
        if (!status.equals("success")) {
            return new ApiResult(status, root.path("errorType").asText(), root.path("error").asText(), null, Map.of(), null);
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        Map<Labels, List<Point>> series = new TreeMap<>();
        String string = null;
        switch (type) {
            case "scalar" -> series.put(Labels.EMPTY, List.of(point(result)));
            case "string" -> string = result.get(1).asText();
            default -> {
                for (JsonNode s : result) {
                    Map<String, String> labels = new TreeMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        labels.put(e.getKey(), e.getValue().asText());
                    }
                    List<Point> points = new ArrayList<>();
                    if (s.has("value")) {
                        points.add(point(s.get("value")));
                    } else {
                        for (JsonNode p : s.path("values")) {
                            points.add(point(p));
                        }
                    }
                    if (series.put(Labels.of(labels), points) != null) {
                        throw new AssertionError("duplicate series " + labels + " in " + body);
                    }
                }
            }
        }
        return new ApiResult(status, null, null, type, series, string);
    }

    private static Point point(JsonNode pair) {
        return new Point(Math.round(pair.get(0).asDouble() * 1000), value(pair.get(1).asText()));
    }

    /** Prometheus's value strings: Go's FormatFloat plus "+Inf", "-Inf", "NaN". */
    public static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /** The engine's answer in the same form. */
    public static ApiResult of(QueryResult r) {
        Map<Labels, List<Point>> series = new TreeMap<>();
        switch (r.type()) {
            case SCALAR -> series.put(Labels.EMPTY, List.of(new Point(r.time(), r.scalar())));
            case STRING -> {
            }
            case VECTOR -> {
                for (Series s : r.series()) {
                    series.put(s.labels(), List.of(new Point(r.time(), s.values()[0])));
                }
            }
            case MATRIX -> {
                for (Series s : r.series()) {
                    List<Point> points = new ArrayList<>();
                    for (int i = 0; i < s.size(); i++) {
                        points.add(new Point(s.timestamps()[i], s.values()[i]));
                    }
                    series.put(s.labels(), points);
                }
            }
        }
        return new ApiResult("success", null, null, r.type().apiName(), series, r.string());
    }

    public static ApiResult of(QueryException e) {
        return new ApiResult("error", e.type().apiName(), e.getMessage(), null, Map.of(), null);
    }

    /**
     * Null if {@code actual} agrees with this (expected) answer: same status and error class, or the
     * same result type, label sets and timestamps, values within 1e-9 relative; else what differs.
     */
    public String difference(ApiResult actual) {
        if (!status.equals(actual.status)) {
            return "status " + status + (error == null ? "" : " (" + errorType + ": " + error + ")") + " vs " + actual.status
                    + (actual.error == null ? "" : " (" + actual.errorType + ": " + actual.error + ")");
        }
        if (status.equals("error")) {
            return errorType.equals(actual.errorType) ? null
                    : "error class " + errorType + " (" + error + ") vs " + actual.errorType + " (" + actual.error + ")";
        }
        if (!resultType.equals(actual.resultType)) {
            return "result type " + resultType + " vs " + actual.resultType;
        }
        if (!Objects.equals(string, actual.string)) {
            return "string " + string + " vs " + actual.string;
        }
        if (!series.keySet().equals(actual.series.keySet())) {
            List<Labels> missing = new ArrayList<>(series.keySet());
            missing.removeAll(actual.series.keySet());
            List<Labels> extra = new ArrayList<>(actual.series.keySet());
            extra.removeAll(series.keySet());
            return "label sets differ: missing " + missing + ", unexpected " + extra;
        }
        for (Map.Entry<Labels, List<Point>> e : series.entrySet()) {
            List<Point> want = e.getValue();
            List<Point> got = actual.series.get(e.getKey());
            if (want.size() != got.size()) {
                return e.getKey() + ": " + want.size() + " points vs " + got.size() + " (first " + want.get(0) + " vs "
                        + got.get(0) + ")";
            }
            for (int i = 0; i < want.size(); i++) {
                Point w = want.get(i);
                Point g = got.get(i);
                if (w.timeMs() != g.timeMs() || !close(w.value(), g.value())) {
                    return e.getKey() + " point " + i + ": " + w + " vs " + g;
                }
            }
        }
        return null;
    }

    /** Equal within 1e-9 relative; NaN equals NaN, infinities must match exactly. */
    static boolean close(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return a == b;
        }
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-6);
    }
}
