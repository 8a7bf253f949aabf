package dev.banyan.server.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    static WriteBatch toBatch(Measure measure, List<DataPoint> points) {
        String where = "measure " + measure.group() + "/" + measure.name();
        Map<String, TagSpec> tagSpecs = new LinkedHashMap<>();
        measure.tags().forEach(t -> tagSpecs.put(t.name(), t));
        WriteBatch batch = new WriteBatch(measure.name(), fields(measure), points.size());
        Map<SeriesKey, SeriesRef> series = new HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            DataPoint point = points.get(i);
            String at = where + ": point " + i;
            if (!Timestamps.isSupported(point.timestampMillis())) {
                throw new InvalidPointException(at + ": timestamp " + Timestamps.describe(point.timestampMillis())
                        + " is outside the supported range " + Timestamps.supportedRange() + " (epoch milliseconds)");
            }
            for (Map.Entry<String, String> tag : point.tags().entrySet()) {
                TagSpec spec = tagSpecs.get(tag.getKey());
                if (spec == null) {
                    throw new InvalidPointException(at + ": unknown tag '" + tag.getKey() + "' (declared: " + tagSpecs.keySet() + ")");
                }
                if (spec.type() == TagSpec.TagType.LONG && !isLong(tag.getValue())) {
                    throw new InvalidPointException(at + ": tag '" + tag.getKey() + "' is LONG, got '" + tag.getValue() + "'");
                }
            }
            Map<String, String> entity = new LinkedHashMap<>();
            for (String name : measure.entity()) {
                String value = point.tags().get(name);
                if (value == null) {
                    throw new InvalidPointException(at + ": missing entity tag '" + name + "'");
                }
                entity.put(name, value);
            }
            Map<String, String> others = new LinkedHashMap<>(point.tags());
            measure.entity().forEach(others::remove);
            for (String name : point.fields().keySet()) {
                if (measure.fields().stream().noneMatch(f -> f.name().equals(name))) {
                    throw new InvalidPointException(at + ": unknown field '" + name + "' (declared: "
                            + measure.fields().stream().map(FieldSpec::name).toList() + ")");
                }
            }
            if (point.fields().isEmpty()) {
                throw new InvalidPointException(at + ": no field value; a point needs at least one of "
                        + measure.fields().stream().map(FieldSpec::name).toList());
            }
            // A field the point does not carry is absent from it (null), e.g. one added to the measure later.
            Number[] values = new Number[measure.fields().size()];
            for (int f = 0; f < values.length; f++) {
                FieldSpec spec = measure.fields().get(f);
                Number value = point.fields().get(spec.name());
                if (value != null && spec.type() == FieldSpec.FieldType.LONG && !(value instanceof Long || value instanceof Integer
                        || value instanceof Short || value instanceof Byte)) {
                    throw new InvalidPointException(at + ": field '" + spec.name() + "' is LONG, got " + value);
                }
                values[f] = value;
            }
            SeriesRef ref;
            try {
                ref = series.computeIfAbsent(new SeriesKey(entity, others), k -> SeriesRef.of(measure.name(), entity, others));
            } catch (IllegalArgumentException e) {
                throw new InvalidPointException(at + ": " + e.getMessage());
            }
            try {
                batch.add(ref, point.timestampMillis(), values);
            } catch (IllegalArgumentException e) {
                throw new InvalidPointException(at + ": " + e.getMessage()); // a value storage reserves (absent)
            }
        }
        return batch;
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
