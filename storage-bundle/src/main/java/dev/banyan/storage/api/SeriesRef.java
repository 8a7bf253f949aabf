package dev.banyan.storage.api;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One series of a measure: the measure name and the entity tag map (names and values) identify it,
 * the other tags describe it (the latest written values are kept per series). Identity is the
 * structured map, never a joined string: any text is allowed in names and values, delimiters
 * included. Create it once and reuse it for every point of the
 * series: its 64-bit id, which also picks the shard, is computed here.
 */
public final class SeriesRef {

    /**
     * The most UTF-8 bytes a series' text may take: its measure name and every entity and other
     * tag name and value together (64 KiB). Larger series are refused when made, so no write can
     * carry a definition the engine's records cannot hold.
     */
    public static final int MAX_TEXT_BYTES = 64 << 10;

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
     * @param entity the entity tags (name to value): the series' identity. Their order does not
     *               matter: the series keeps them sorted by name.
     * @param tags   other tags of the series; may be empty
     * @throws IllegalArgumentException if {@code entity} is empty, a tag is both entity and other
     *                                  tag, a name or value is null, or any text holds an unpaired
     *                                  surrogate (UTF-8 cannot store it: it would become {@code ?}
     *                                  and merge with another series), or the text takes more than
     *                                  {@link #MAX_TEXT_BYTES} bytes of UTF-8 (naming the largest value)
     */
    public static SeriesRef of(String measure, Map<String, String> entity, Map<String, String> tags) {
        Objects.requireNonNull(measure, "measure");
        requireUnicode(measure, () -> "series of " + measure + ": measure name");
        if (entity == null || entity.isEmpty()) {
            throw new IllegalArgumentException("series of " + measure + ": at least one entity tag is required");
        }
        Map<String, String> sortedEntity = copyChecked(measure, "entity tag", entity);
        Map<String, String> sortedTags = copyChecked(measure, "tag", tags == null ? Map.of() : tags);
        for (String name : sortedTags.keySet()) {
            if (sortedEntity.containsKey(name)) {
                throw new IllegalArgumentException("series of " + measure + ": tag " + name + " is both entity and tag");
            }
        }
        requireSize(measure, sortedEntity, sortedTags);
        return new SeriesRef(measure, Collections.unmodifiableMap(sortedEntity), Collections.unmodifiableMap(sortedTags));
    }

    private static Map<String, String> copyChecked(String measure, String kind, Map<String, String> source) {
        Map<String, String> sorted = new TreeMap<>();
        source.forEach((k, v) -> {
            Objects.requireNonNull(k, () -> "series of " + measure + ": " + kind + " name is null");
            Objects.requireNonNull(v, () -> "series of " + measure + ": " + kind + " " + k + " has no value");
            requireUnicode(k, () -> "series of " + measure + ": " + kind + " name " + k);
            requireUnicode(v, () -> "series of " + measure + ": " + kind + " " + k + " value");
            sorted.put(k, v);
        });
        return sorted;
    }

    private static void requireSize(String measure, Map<String, String> entity, Map<String, String> tags) {
        long total = utf8Length(measure);
        String largest = null;
        long largestBytes = -1;
        for (Map<String, String> map : List.of(entity, tags)) {
            for (Map.Entry<String, String> e : map.entrySet()) {
                long value = utf8Length(e.getValue());
                total += utf8Length(e.getKey()) + value;
                if (value > largestBytes) {
                    largestBytes = value;
                    largest = e.getKey();
                }
            }
        }
        if (total > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("series of " + measure + ": its measure, tag names and values take " + total
                    + " bytes of UTF-8, more than the limit of " + MAX_TEXT_BYTES + " (the largest value, of tag " + largest
                    + ", takes " + largestBytes + ")");
        }
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4; // with its low surrogate (requireUnicode refused unpaired ones)
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Refuses text with an unpaired surrogate: the only text UTF-8 cannot round-trip ({@code what} names it, built only then). */
    private static void requireUnicode(String text, Supplier<String> what) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what.get() + " holds an unpaired surrogate (U+"
                        + Integer.toHexString(c).toUpperCase() + " at index " + i + "): not valid Unicode text");
            }
        }
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

    /** Entity tags and other tags together (entity first, each sorted by name). */
    public Map<String, String> allTags() {
        Map<String, String> all = new LinkedHashMap<>(entity);
        all.putAll(tags);
        return all;
    }

    /**
     * [S16] Stable across processes and releases: FNV-1a over the UTF-8 of the measure and of each
     * entity name and value in name order, each followed by the byte 0xFF (which UTF-8 never
     * contains, so the encoding is unambiguous), then a 64-bit mix. A hash: two series may share an
     * id (probability about n&sup2;/2<sup>65</sup> for n series); the engine refuses the second one
     * rather than merge them.
     */
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
