package dev.banyan.storage.internal.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.banyan.storage.api.CorruptSegmentException;

/**
 * [S2] The {@code metadata} file of a segment, written once when the segment is created. Two
 * formats are read: the current JSON object
 * {@code {"version":"1.5.0","endTime":"<RFC 3339>","shardNum":<n>}} and the old one, whose whole
 * body is the version string. Only the JSON format is written. Keys other than these are ignored;
 * {@code endTime} and {@code shardNum} are optional (segments written before they existed).
 *
 * @param version   the storage format version, never null (may be empty in a broken old-format file)
 * @param endTime   the segment end recorded in the file with the writer's UTC offset, or null
 * @param shardNum  the shard count the segment was created with [S15][S17], or null if not recorded
 */
public record SegmentMetadata(String version, OffsetDateTime endTime, Integer shardNum) {

    private static final DateTimeFormatter RFC3339_NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    /** A new segment's metadata: its end written in the group's naming zone. */
    public static SegmentMetadata of(String version, long endMillis, ZoneId zone, int shardNum) {
        return new SegmentMetadata(version, Instant.ofEpochMilli(endMillis).atZone(zone).toOffsetDateTime(), shardNum);
    }

    /** The recorded end in epoch milliseconds, or null. */
    public Long endMillis() {
        return endTime == null ? null : endTime.toInstant().toEpochMilli();
    }

    /**
     * [S2] Reads a metadata file. Waiting cannot repair a file: everything unreadable in it is a
     * permanent {@link CorruptSegmentException} naming the file.
     *
     * @throws IOException if the file cannot be read at all
     */
    public static SegmentMetadata read(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!body.startsWith("{")) {
            return new SegmentMetadata(body, null, null);
        }
        Object parsed;
        try {
            // JSON is a subset of YAML flow syntax, so the YAML parser the engine already has reads it.
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(body);
        } catch (RuntimeException e) {
            throw malformed(file, String.valueOf(e.getMessage()).replace('\n', ' '), e);
        }
        if (!(parsed instanceof Map<?, ?> map) || !(map.get("version") instanceof String version)) {
            throw malformed(file, "no \"version\" string", null);
        }
        OffsetDateTime end = null;
        Object endText = map.get("endTime");
        if (endText != null) {
            try {
                end = OffsetDateTime.parse(String.valueOf(endText));
            } catch (DateTimeParseException e) {
                throw malformed(file, "endTime " + endText + " is not RFC 3339", e);
            }
        }
        Integer shards = null;
        Object shardText = map.get("shardNum");
        if (shardText != null) {
            if (!(shardText instanceof Integer n) || n <= 0) {
                throw malformed(file, "shardNum " + shardText + " is not a positive integer", null);
            }
            shards = n;
        }
        return new SegmentMetadata(version, end, shards);
    }

    /**
     * [S2] Malformed metadata is permanent: the file is already on disk, so waiting cannot repair it
     * (only an operator can). The message names the file.
     */
    private static CorruptSegmentException malformed(Path file, String problem, Throwable cause) {
        CorruptSegmentException error = new CorruptSegmentException(file, "malformed segment metadata (" + problem + ")");
        if (cause != null) {
            error.initCause(cause);
        }
        return error;
    }

    public byte[] toJson() {
        StringBuilder json = new StringBuilder("{\"version\":\"").append(version).append('"');
        if (endTime != null) {
            json.append(",\"endTime\":\"").append(RFC3339_NANOS.format(endTime)).append('"');
        }
        if (shardNum != null) {
            json.append(",\"shardNum\":").append(shardNum);
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
