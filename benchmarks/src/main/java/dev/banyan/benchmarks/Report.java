package dev.banyan.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * Prints one markdown table per data set: a row per figure with our value, each peer's, the ratio
 * of ours to each peer's, and the target.
 */
public final class Report {

    /** One figure: values in the order of the table's engines (ours first); NaN where not measured. */
    public record Row(String figure, double[] values, String target) {
    }

    private Report() {
    }

    public static void print(String title, List<String> engines, List<Row> rows) {
        System.out.println();
        System.out.println("### " + title);
        System.out.println();
        StringBuilder header = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String engine : engines) {
            header.append(' ').append(engine).append(" |");
            rule.append("---|");
        }
        for (String peer : engines.subList(1, engines.size())) {
            header.append(" ratio ").append(engines.get(0)).append(" / ").append(peer).append(" |");
            rule.append("---|");
        }
        System.out.println(header.append(" target |"));
        System.out.println(rule.append("---|"));
        for (Row row : rows) {
            StringBuilder line = new StringBuilder("| ").append(row.figure()).append(" |");
            for (double v : row.values()) {
                line.append(' ').append(format(v)).append(" |");
            }
            for (int peer = 1; peer < row.values().length; peer++) {
                line.append(' ').append(format(row.values()[0] / row.values()[peer], 2)).append(" |");
            }
            System.out.println(line.append(' ').append(row.target()).append(" |"));
        }
    }

    private static String format(double v) {
        return format(v, Math.abs(v) >= 100 ? 1 : 3);
    }

    private static String format(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
