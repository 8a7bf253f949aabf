package dev.banyan.promql.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by label name. Labels with an empty value do not exist (Prometheus
 * treats an empty value as an absent label), so they are dropped on construction.
 */
public final class Labels implements Comparable<Labels> {

    /** The name of the label holding the metric name. */
    public static final String METRIC_NAME = "__name__";

    public static final Labels EMPTY = new Labels(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;
    private final int hash;

    private Labels(String[] names, String[] values) {
        this.names = names;
        this.values = values;
        this.hash = 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    /** The labels of {@code map}, without those whose value is empty. */
    public static Labels of(Map<String, String> map) {
        SortedMap<String, String> sorted = new TreeMap<>();
        map.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                sorted.put(name, value);
            }
        });
        return new Labels(sorted.keySet().toArray(new String[0]), sorted.values().toArray(new String[0]));
    }

    /** Labels from alternating names and values: {@code of("__name__", "up", "job", "api")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels need name and value pairs, got " + namesAndValues.length + " strings");
        }
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return of(map);
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    public String value(int i) {
        return values[i];
    }

    /** The value of {@code name}, or the empty string if the label is absent (as in Prometheus). */
    public String get(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? values[i] : "";
    }

    public boolean has(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    /** A sorted, unmodifiable map view of these labels. */
    public SortedMap<String, String> toMap() {
        SortedMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], values[i]);
        }
        return Collections.unmodifiableSortedMap(map);
    }

    /** Prometheus order: label by label, name then value, a prefix before a longer set. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(names.length, o.names.length);
        for (int i = 0; i < n; i++) {
            int c = names[i].compareTo(o.names[i]);
            if (c != 0) {
                return c;
            }
            c = values[i].compareTo(o.values[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(names.length, o.names.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels l && hash == l.hash && Arrays.equals(names, l.names) && Arrays.equals(values, l.values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Prometheus notation: {@code {__name__="up", job="api"}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < names.length; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(names[i]).append("=\"").append(values[i].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return b.append('}').toString();
    }
}
