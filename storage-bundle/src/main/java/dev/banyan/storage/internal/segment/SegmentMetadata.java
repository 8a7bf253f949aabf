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
 * [S2] The {@code metadata} file of a segment. Two formats are read: the current JSON object
 * {@code {"version":"1.5.0","endTime":"<RFC 3339>"}} and the old one, whose whole body is the
 * version string. Only the JSON format is written.
 *
 * @param version  the storage format version, never null (may be empty in a broken old-format file)
 * @param endMillis the segment end recorded in the file, or null if the file does not say
 */
public record SegmentMetadata(String version, Long endMillis) {

    public static final String FILE_NAME = "metadata";

    private static final DateTimeFormatter RFC3339_NANOS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    public static SegmentMetadata read(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!body.startsWith("{")) {
            return new SegmentMetadata(body, null);
        }
        Object parsed;
        try {
            // JSON is a subset of YAML flow syntax, so the YAML parser the engine already has reads it.
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(body);
        } catch (RuntimeException e) {
            throw malformed(file, e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> map) || !(map.get("version") instanceof String version)) {
            throw malformed(file, "no \"version\" string", null);
        }
        Object end = map.get("endTime");
        if (end == null) {
            return new SegmentMetadata(version, null);
        }
        try {
            return new SegmentMetadata(version, OffsetDateTime.parse(String.valueOf(end)).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            throw malformed(file, "endTime " + end + " is not RFC 3339", e);
        }
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

    public byte[] toJson(ZoneId zone) {
        StringBuilder json = new StringBuilder("{\"version\":\"").append(version).append('"');
        if (endMillis != null) {
            json.append(",\"endTime\":\"")
                    .append(RFC3339_NANOS.format(Instant.ofEpochMilli(endMillis).atZone(zone)))
                    .append('"');
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
