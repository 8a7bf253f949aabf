package dev.banyan.promql.internal.eval;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import dev.banyan.promql.api.Labels;

/** Label-set edits the evaluator needs; each returns a new {@link Labels}. */
final class LabelSets {

    private LabelSets() {
    }

    static Labels dropMetricName(Labels labels) {
        if (!labels.has(Labels.METRIC_NAME)) {
            return labels;
        }
        return without(labels, java.util.List.of(Labels.METRIC_NAME));
    }

    /** Only the labels named in {@code names}. */
    static Labels keep(Labels labels, Collection<String> names) {
        Map<String, String> kept = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            if (names.contains(labels.name(i))) {
                kept.put(labels.name(i), labels.value(i));
            }
        }
        return Labels.of(kept);
    }

    /** All labels except those named in {@code names}. */
    static Labels without(Labels labels, Collection<String> names) {
        Map<String, String> kept = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            if (!names.contains(labels.name(i))) {
                kept.put(labels.name(i), labels.value(i));
            }
        }
        return Labels.of(kept);
    }

    /** {@code labels} with {@code name} set to {@code value}, or removed if {@code value} is empty. */
    static Labels with(Labels labels, String name, String value) {
        Map<String, String> map = new TreeMap<>(labels.toMap());
        if (value.isEmpty()) {
            map.remove(name);
        } else {
            map.put(name, value);
        }
        return Labels.of(map);
    }

    /** The grouping key of Prometheus's signatureFunc: the listed labels (on), or all but them and the name (ignoring). */
    static Labels signature(Labels labels, boolean on, Collection<String> names) {
        if (on) {
            return keep(labels, names);
        }
        Map<String, String> kept = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String n = labels.name(i);
            if (!n.equals(Labels.METRIC_NAME) && !names.contains(n)) {
                kept.put(n, labels.value(i));
            }
        }
        return Labels.of(kept);
    }
}
