package dev.banyan.server.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.Timestamps;
import dev.banyan.storage.api.WriteBatch;

/** Turns application points into a storage batch, refusing the whole write at the first point that does not fit. */
final class PointValidator {

    /** A point's series within one call: the structured tag maps, never text joined from them. */
    private record SeriesKey(Map<String, String> entity, Map<String, String> others) {
    }

    private PointValidator() {
    }

    static List<FieldDef> fields(Measure measure) {
        return measure.fields().stream()
                .map(f -> new FieldDef(f.name(), f.type() == FieldSpec.FieldType.LONG ? FieldType.LONG : FieldType.DOUBLE))
                .toList();
    }

    /**
     * The storage batch of {@code points}. Points sharing one tag map instance (as the protocols hand
     * over the points of one series) are checked and resolved to their series once.
     *
     * @throws InvalidPointException naming the measure and the point's index, at the first point that does not fit
     */
    static WriteBatch toBatch(Measure measure, List<DataPoint> points) {
        Map<String, TagSpec> tagSpecs = new LinkedHashMap<>();
        measure.tags().forEach(t -> tagSpecs.put(t.name(), t));
        Set<String> fieldNames = new HashSet<>();
        measure.fields().forEach(f -> fieldNames.add(f.name()));
        WriteBatch batch = new WriteBatch(measure.name(), fields(measure), points.size());
        Map<SeriesKey, SeriesRef> series = new HashMap<>();
        Map<Map<String, String>, SeriesRef> byTagMap = new IdentityHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            DataPoint point = points.get(i);
            if (!Timestamps.isSupported(point.timestampMillis())) {
                throw new InvalidPointException(at(measure, i) + ": timestamp " + Timestamps.describe(point.timestampMillis())
                        + " is outside the supported range " + Timestamps.supportedRange() + " (epoch milliseconds)");
            }
            SeriesRef ref = byTagMap.get(point.tags());
            if (ref == null) {
                ref = seriesOf(measure, tagSpecs, point, i, series);
                byTagMap.put(point.tags(), ref);
            }
            for (String name : point.fields().keySet()) {
                if (!fieldNames.contains(name)) {
                    throw new InvalidPointException(at(measure, i) + ": unknown field '" + name + "' (declared: "
                            + measure.fields().stream().map(FieldSpec::name).toList() + ")");
                }
            }
            if (point.fields().isEmpty()) {
                throw new InvalidPointException(at(measure, i) + ": no field value; a point needs at least one of "
                        + measure.fields().stream().map(FieldSpec::name).toList());
            }
            // A field the point does not carry is absent from it (null), e.g. one added to the measure later.
            Number[] values = new Number[measure.fields().size()];
            for (int f = 0; f < values.length; f++) {
                FieldSpec spec = measure.fields().get(f);
                Number value = point.fields().get(spec.name());
                if (value != null && spec.type() == FieldSpec.FieldType.LONG && !(value instanceof Long || value instanceof Integer
                        || value instanceof Short || value instanceof Byte)) {
                    throw new InvalidPointException(at(measure, i) + ": field '" + spec.name() + "' is LONG, got " + value);
                }
                values[f] = value;
            }
            try {
                batch.add(ref, point.timestampMillis(), values);
            } catch (IllegalArgumentException e) {
                throw new InvalidPointException(at(measure, i) + ": " + e.getMessage()); // a value storage reserves (absent)
            }
        }
        return batch;
    }

    /** The series of point {@code i}, its tags checked against the measure; one SeriesRef per distinct series of the call. */
    private static SeriesRef seriesOf(Measure measure, Map<String, TagSpec> tagSpecs, DataPoint point, int i,
            Map<SeriesKey, SeriesRef> series) {
        for (Map.Entry<String, String> tag : point.tags().entrySet()) {
            TagSpec spec = tagSpecs.get(tag.getKey());
            if (spec == null) {
                throw new InvalidPointException(at(measure, i) + ": unknown tag '" + tag.getKey() + "' (declared: " + tagSpecs.keySet()
                        + ")");
            }
            if (spec.type() == TagSpec.TagType.LONG && !isLong(tag.getValue())) {
                throw new InvalidPointException(at(measure, i) + ": tag '" + tag.getKey() + "' is LONG, got '" + tag.getValue() + "'");
            }
        }
        Map<String, String> entity = new LinkedHashMap<>();
        for (String name : measure.entity()) {
            String value = point.tags().get(name);
            if (value == null) {
                throw new InvalidPointException(at(measure, i) + ": missing entity tag '" + name + "'");
            }
            entity.put(name, value);
        }
        Map<String, String> others = new LinkedHashMap<>(point.tags());
        measure.entity().forEach(others::remove);
        try {
            return series.computeIfAbsent(new SeriesKey(entity, others), k -> SeriesRef.of(measure.name(), entity, others));
        } catch (IllegalArgumentException e) {
            throw new InvalidPointException(at(measure, i) + ": " + e.getMessage());
        }
    }

    /** Where a refusal happened: built only when one does (the writer finds the point again by its index). */
    private static String at(Measure measure, int i) {
        return "measure " + measure.group() + "/" + measure.name() + ": point " + i;
    }

    private static boolean isLong(String text) {
        try {
            Long.parseLong(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
