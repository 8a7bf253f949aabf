package dev.banyan.storage.internal.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.banyan.storage.api.CorruptSegmentException;
import dev.banyan.storage.api.IntervalUnit;

/**
 * [S1][S12] {@code <group>/group.json}: how the group's segment dirs are named, written once (when the
 * group is created, or when this release first opens a group created before it) and never changed,
 * so the meaning of a segment name never depends on the process's time zone:
 * {@code {"format":1,"segmentNameZone":"UTC","segmentIntervalUnit":"DAY"}} plus, for a group whose
 * zone was recovered, {@code "zoneEvidence"} saying from what.
 *
 * @param zone         the zone segment names (and their grid) are in: UTC for new groups
 * @param unit         the interval unit the names encode ({@code seg-yyyyMMdd} or {@code seg-yyyyMMddHH})
 * @param zoneEvidence how the zone of an older group was determined, or null for a group created with it
 */
public record GroupMetadata(ZoneId zone, IntervalUnit unit, String zoneEvidence) {

    static final int FORMAT = 1;

    /** A group created by this release: names in UTC. */
    public static GroupMetadata created(IntervalUnit unit) {
        return new GroupMetadata(ZoneId.of("UTC"), unit, null);
    }

    /**
     * Reads the file; everything unreadable in it is a permanent {@link CorruptSegmentException}
     * naming the file (waiting cannot repair it).
     */
    public static GroupMetadata read(Path file) throws IOException {
        String body = Files.readString(file, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(body);
        } catch (RuntimeException e) {
            throw malformed(file, String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw malformed(file, "not a JSON object");
        }
        if (!Integer.valueOf(FORMAT).equals(map.get("format"))) {
            throw malformed(file, "format " + map.get("format") + " is not " + FORMAT
                    + " (written by a newer release?)");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(String.valueOf(map.get("segmentNameZone")));
        } catch (DateTimeException e) {
            throw malformed(file, "segmentNameZone " + map.get("segmentNameZone") + " is not a time zone id");
        }
        IntervalUnit unit = unitOf(map.get("segmentIntervalUnit"));
        if (unit == null) {
            throw malformed(file, "segmentIntervalUnit " + map.get("segmentIntervalUnit") + " is not DAY or HOUR");
        }
        Object evidence = map.get("zoneEvidence");
        return new GroupMetadata(zone, unit, evidence == null ? null : String.valueOf(evidence));
    }

    public byte[] toJson() {
        StringBuilder json = new StringBuilder("{\"format\":").append(FORMAT)
                .append(",\"segmentNameZone\":\"").append(zone.getId())
                .append("\",\"segmentIntervalUnit\":\"").append(codeOf(unit)).append('"');
        if (zoneEvidence != null) {
            json.append(",\"zoneEvidence\":\"").append(zoneEvidence.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The on-disk code of a unit: explicit, never the enum's name or ordinal by accident. */
    public static String codeOf(IntervalUnit unit) {
        return switch (unit) {
            case DAY -> "DAY";
            case HOUR -> "HOUR";
        };
    }

    public static IntervalUnit unitOf(Object code) {
        if ("DAY".equals(code)) {
            return IntervalUnit.DAY;
        }
        return "HOUR".equals(code) ? IntervalUnit.HOUR : null;
    }

    private static CorruptSegmentException malformed(Path file, String problem) {
        return new CorruptSegmentException(file, "malformed group metadata (" + problem + ")");
    }
}
