package dev.banyan.http.internal.remotewrite;

import java.util.regex.Pattern;

import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.TimeSeries;

/**
 * Prometheus's data model rules (https://prometheus.io/docs/concepts/data_model/): metric names
 * {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code [a-zA-Z_][a-zA-Z0-9_]*}, each at most 255
 * characters here (the registry's limit for measure and tag names).
 */
public final class PrometheusNames {

    public static final String METRIC_NAME_LABEL = "__name__";
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,254}");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,254}");

    private PrometheusNames() {
    }

    public static boolean isMetricName(String name) {
        return METRIC.matcher(name).matches();
    }

    public static boolean isLabelName(String name) {
        return LABEL.matcher(name).matches();
    }

    /** A series as Prometheus prints it, {@code name{a="x", b="y"}}, shortened past 300 characters. */
    public static String describe(TimeSeries series) {
        StringBuilder text = new StringBuilder();
        String name = "";
        StringBuilder labels = new StringBuilder();
        for (Label label : series.getLabelsList()) {
            if (label.getName().equals(METRIC_NAME_LABEL)) {
                name = label.getValue();
                continue;
            }
            if (labels.length() > 0) {
                labels.append(", ");
            }
            labels.append(label.getName()).append("=\"").append(label.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                    .replace("\n", "\\n")).append('"');
        }
        text.append(name).append('{').append(labels).append('}');
        return text.length() > 300 ? text.substring(0, 300) + "..." : text.toString();
    }
}
