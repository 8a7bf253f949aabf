package dev.banyan.storage.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One series of a measure: the entity tag values identify it, the other tags describe it (the
 * latest written values are kept per series). Create it once and reuse it for every point of the
 * series: its 64-bit id, which also picks the shard, is computed here.
 */
public final class SeriesRef {

    private final String measure;
    private final Map<String, String> entity;
    private final Map<String, String> tags;
    private final long id;

    private SeriesRef(String measure, Map<String, String> entity, Map<String, String> tags) {
        this.measure = measure;
        this.entity = entity;
        this.tags = tags;
        this.id = hash(measure, entity);
    }

    /**
     * @param entity the entity tags in the measure's entity order (name to value)
     * @param tags   other tags of the series; may be empty
     */
    public static SeriesRef of(String measure, Map<String, String> entity, Map<String, String> tags) {
        Objects.requireNonNull(measure, "measure");
        if (entity == null || entity.isEmpty()) {
            throw new IllegalArgumentException("series of " + measure + ": at least one entity tag is required");
        }
        Map<String, String> orderedEntity = new LinkedHashMap<>();
        entity.forEach((k, v) -> orderedEntity.put(Objects.requireNonNull(k, "tag name"),
                Objects.requireNonNull(v, () -> "series of " + measure + ": entity tag " + k + " has no value")));
        Map<String, String> sortedTags = new TreeMap<>(tags == null ? Map.of() : tags);
        for (String name : sortedTags.keySet()) {
            if (orderedEntity.containsKey(name)) {
                throw new IllegalArgumentException("series of " + measure + ": tag " + name + " is both entity and tag");
            }
        }
        return new SeriesRef(measure, Collections.unmodifiableMap(orderedEntity), Collections.unmodifiableMap(sortedTags));
    }

    public static SeriesRef of(String measure, String entityTag, String entityValue) {
        return of(measure, Map.of(entityTag, entityValue), Map.of());
    }

    public String measure() {
        return measure;
    }

    public Map<String, String> entity() {
        return entity;
    }

    public Map<String, String> tags() {
        return tags;
    }

    /** Entity tags and other tags together. */
    public Map<String, String> allTags() {
        Map<String, String> all = new LinkedHashMap<>(entity);
        all.putAll(tags);
        return all;
    }

    /** [S16] Stable across processes and releases: FNV-1a over the measure and entity, then a 64-bit mix. */
    public long id() {
        return id;
    }

    static long hash(String measure, Map<String, String> entity) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, measure);
        for (Map.Entry<String, String> e : entity.entrySet()) {
            h = fnv(h, e.getKey());
            h = fnv(h, e.getValue());
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static long fnv(long h, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= 0xFF; // separator: ("ab","c") and ("a","bc") differ
        return h * 0x100000001b3L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesRef other && id == other.id && measure.equals(other.measure) && entity.equals(other.entity);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }

    @Override
    public String toString() {
        return measure + entity + (tags.isEmpty() ? "" : tags.toString());
    }
}
