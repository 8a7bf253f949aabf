package dev.banyan.server.api;

import java.util.Map;

/**
 * One point of a measure, as an application writes it.
 *
 * @param timestampMillis epoch milliseconds in the supported range [1970-01-01T00:00:00.001Z,
 *                        9999-12-31T23:59:59.999Z] ({@code dev.banyan.storage.api.Timestamps}), and inside the
 *                        group's write window (see {@link MeasureService#write})
 * @param tags            tag name to value: every entity tag of the measure, optionally others it declares
 *                        (LONG tags as decimal text)
 * @param fields          field name to value: at least one field of the measure; a field left out is absent
 *                        from this point (see docs/SEMANTICS.md); LONG fields take integral numbers
 */
public record DataPoint(long timestampMillis, Map<String, String> tags, Map<String, Number> fields) {

    public DataPoint {
        tags = Map.copyOf(tags);
        fields = Map.copyOf(fields);
    }
}
