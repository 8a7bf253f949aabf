package dev.banyan.benchmarks;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a query returned, reduced to named numbers (a group's value, a count, a sum) so that the
 * answers of different engines can be compared entry by entry.
 */
public record Answer(SortedMap<String, Double> values) {

    /** Relative difference tolerated between engines: sums taken in another order differ in the last bits. */
    static final double TOLERANCE = 1e-9;

    public static Answer of(Map<String, Double> values) {
        return new Answer(new TreeMap<>(values));
    }

    static Answer of(String name, double value, String name2, double value2) {
        return of(Map.of(name, value, name2, value2));
    }

    /** Null if both hold the same names with values within {@link #TOLERANCE}; else the first difference. */
    public String difference(Answer other) {
        if (!values.keySet().equals(other.values.keySet())) {
            return values.size() + " rows " + abbreviate(values.keySet().toString()) + " vs " + other.values.size() + " rows "
                    + abbreviate(other.values.keySet().toString());
        }
        for (Map.Entry<String, Double> e : values.entrySet()) {
            double a = e.getValue();
            double b = other.values.get(e.getKey());
            if (!(Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b))) && Double.compare(a, b) != 0) {
                return e.getKey() + ": " + a + " vs " + b;
            }
        }
        return null;
    }

    /** A short line for the log: row count and the sum of all values. */
    public String summary() {
        double sum = 0;
        for (double v : values.values()) {
            sum += v;
        }
        return values.size() + " rows, total " + String.format("%.6f", sum);
    }

    private static String abbreviate(String text) {
        return text.length() > 120 ? text.substring(0, 120) + "..." : text;
    }
}
