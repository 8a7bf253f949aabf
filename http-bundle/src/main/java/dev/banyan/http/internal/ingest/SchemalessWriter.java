package dev.banyan.http.internal.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.internal.HttpSettings;
import dev.banyan.http.internal.Settings;
import dev.banyan.http.internal.metrics.HttpMetrics;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.RevisionConflictException;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.server.api.MeasureService;
import dev.banyan.server.api.SchemalessLayout;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Timestamps;

/**
 * Writes points of protocols that carry no schema (Prometheus remote write, InfluxDB line
 * protocol) through the schema registry and {@link MeasureService}.
 * <p>
 * <b>Provisioning.</b> A missing group is created with the configured options (or refused with 404
 * in strict mode). A missing measure is created with the schemaless layout ({@link SchemalessLayout}):
 * the entity tag holding the label set, one STRING tag per label name, one field per field name. A new label name
 * is added to the measure's tags, a new field appended to its fields (points written before lack
 * it: absent), with a revision-checked update; a concurrent writer's change
 * makes it re-read and try again, and a create that loses the race to another writer counts as done
 * once the measure is read back, so concurrent first writes provision a measure once. Each change
 * goes through the registry (never around it) and the write waits until this node's repository
 * has applied it. A measure declared by other means (not schemaless) is written as declared: its tags are not extended, and points must fit it.
 * <p>
 * <b>Batch rules.</b> {@link #writeAll} refuses the whole request with 400 at the first point that
 * does not fit, before anything is written (Prometheus remote write). {@link #writeValid} writes
 * every point that fits and returns the others with their reasons (InfluxDB line protocol). Either
 * way one {@link MeasureService#write} per measure stores the points; a server fault in the middle
 * leaves the measures written before it stored, which a retry of the request rewrites unchanged.
 */
@Component(service = SchemalessWriter.class)
public final class SchemalessWriter {

    /** What a partial write did: points written, and the refused origins with their reasons. */
    public record Outcome(long written, SortedMap<Integer, String> refused) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SchemalessWriter.class);
    private static final long APPLY_TIMEOUT_MS = 10_000;
    private static final int CHANGE_ATTEMPTS = 100;
    private static final Pattern POINT_INDEX = Pattern.compile(": point (\\d+)");

    private final SchemaRegistry registry;
    private final SchemaRepository repository;
    private final MeasureService measures;
    private final HttpSettings settings;
    private final HttpMetrics metrics;

    @Activate
    public SchemalessWriter(@Reference SchemaRegistry registry, @Reference SchemaRepository repository,
            @Reference MeasureService measures, @Reference HttpSettings settings, @Reference HttpMetrics metrics) {
        this.registry = registry;
        this.repository = repository;
        this.measures = measures;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * Writes every point or, for any point that does not fit, none (400 naming it and its origin).
     *
     * @return the points written
     * @throws ApiException 400 for a point that does not fit, 404 for an unknown group in strict mode,
     *                      503 when the group is not serving or the schema change is not applied in time
     */
    public long writeAll(String group, IngestBatch batch, String protocol) {
        return write(group, batch, protocol, null).written();
    }

    /** Writes every point that fits; the others are returned with their reasons. Throws as {@link #writeAll} for the whole group. */
    public Outcome writeValid(String group, IngestBatch batch, String protocol) {
        return write(group, batch, protocol, new TreeMap<>());
    }

    private record Prepared(String measure, List<DataPoint> points, int[] origins) {
    }

    /** @param refused null: all or nothing; else collects refused origins */
    private Outcome write(String group, IngestBatch batch, String protocol, SortedMap<Integer, String> refused) {
        if (batch.size() == 0) {
            return new Outcome(0, refused == null ? new TreeMap<>() : refused); // nothing to store: no group is created
        }
        ensureGroup(group);
        // [S13a] One window for every measure of the group: a point outside it is refused before any measure is
        // written (all or nothing: before anything is provisioned either), or on its own (partial writes, in prepare).
        TimeRange accepted = measures.acceptedTimestamps(group);
        if (refused == null) {
            for (IngestBatch.MeasurePoints incoming : batch.measures()) {
                for (IngestBatch.Point point : incoming.points) {
                    long t = point.timestampMillis();
                    if (!accepted.contains(t)) {
                        throw ApiException.badData(batch.describe(point.origin()) + ": "
                                + (Timestamps.isSupported(t) ? outsideWindow(group, accepted, t) : unsupported(t)));
                    }
                }
            }
        }
        createMissingMeasures(group, batch);
        List<Prepared> prepared = new ArrayList<>();
        for (IngestBatch.MeasurePoints incoming : batch.measures()) {
            Measure measure;
            try {
                measure = ensureMeasure(group, incoming);
            } catch (ApiException e) {
                if (refused == null || e.status() >= 500) {
                    throw e;
                }
                incoming.points.forEach(p -> refused.put(p.origin(), e.getMessage()));
                continue;
            }
            prepared.add(prepare(group, accepted, measure, incoming, batch, refused));
        }
        long written = 0;
        for (Prepared p : prepared) {
            written += refused == null ? writeWhole(group, p, batch) : writeSplitting(group, p, 0, p.points.size(), batch, refused);
        }
        metrics.samplesWritten(protocol, written);
        return new Outcome(written, refused == null ? new TreeMap<>() : refused);
    }

    private Prepared prepare(String group, TimeRange accepted, Measure measure, IngestBatch.MeasurePoints incoming, IngestBatch batch,
            SortedMap<Integer, String> refused) {
        boolean schemaless = SchemalessLayout.isSchemaless(measure);
        Map<String, FieldSpec.FieldType> fields = new HashMap<>();
        measure.fields().forEach(f -> fields.put(f.name(), f.type()));
        Set<String> tags = new HashSet<>();
        measure.tags().forEach(t -> tags.add(t.name()));
        List<DataPoint> points = new ArrayList<>(incoming.points.size());
        int[] origins = new int[incoming.points.size()];
        // Points of one series share their tag map (protocols pass one per series): build the stored tags once per series.
        Map<SortedMap<String, String>, Map<String, String>> storedTags = new IdentityHashMap<>();
        for (IngestBatch.Point point : incoming.points) {
            String problem = check(measure, schemaless, fields, tags, point);
            if (problem == null && !accepted.contains(point.timestampMillis())) {
                problem = outsideWindow(group, accepted, point.timestampMillis());
            }
            if (problem != null) {
                String message = batch.describe(point.origin()) + ": " + problem;
                if (refused == null) {
                    throw ApiException.badData(message);
                }
                refused.put(point.origin(), message);
                continue;
            }
            Map<String, String> stored = storedTags.computeIfAbsent(point.tags(),
                    labels -> schemaless ? SchemalessLayout.storedTags(labels) : Map.copyOf(labels));
            origins[points.size()] = point.origin();
            points.add(new DataPoint(point.timestampMillis(), stored, point.fields()));
        }
        return new Prepared(measure.name(), points, origins);
    }

    /** Null if the point fits the measure; else why not. A field the point lacks is absent from it. */
    private static String check(Measure measure, boolean schemaless, Map<String, FieldSpec.FieldType> fields, Set<String> tags,
            IngestBatch.Point point) {
        if (!Timestamps.isSupported(point.timestampMillis())) {
            // Checked before anything is written, so that an all-or-nothing request stays so.
            return unsupported(point.timestampMillis());
        }
        if (schemaless) {
            for (String tag : point.tags().keySet()) {
                if (fields.containsKey(tag)) {
                    return nameClash(tag) + " (tag '" + tag + "' of this point, field of " + self(measure) + ")";
                }
            }
            for (String field : point.fields().keySet()) {
                if (tags.contains(field)) {
                    return nameClash(field) + " (field '" + field + "' of this point, tag of " + self(measure) + ")";
                }
            }
        }
        for (Map.Entry<String, Number> field : point.fields().entrySet()) {
            FieldSpec.FieldType declared = fields.get(field.getKey());
            if (declared == null) {
                return "field '" + field.getKey() + "' is not a field of " + self(measure) + " (fields: " + fields.keySet() + ")";
            }
            if (declared != IngestBatch.type(field.getValue())) {
                return "field '" + field.getKey() + "' is " + IngestBatch.typeName(field.getValue()) + " but " + self(measure)
                        + " stores it as " + declared;
            }
        }
        if (!schemaless) {
            for (String tag : point.tags().keySet()) {
                if (!tags.contains(tag)) {
                    return "tag '" + tag + "' is not declared by " + self(measure) + " (tags: " + tags + ")";
                }
            }
            for (String entity : measure.entity()) {
                if (!point.tags().containsKey(entity)) {
                    return "missing tag '" + entity + "', which identifies the series of " + self(measure);
                }
            }
        }
        return null;
    }

    /** Why a timestamp outside the supported range is refused (built only for a refusal). */
    private static String unsupported(long t) {
        return "timestamp " + Timestamps.describe(t) + " is outside the supported range " + Timestamps.supportedRange()
                + " (epoch milliseconds)";
    }

    /** Why a supported timestamp is refused by the group's write window (built only for a refusal). */
    private static String outsideWindow(String group, TimeRange accepted, long t) {
        String window = "group " + group + " accepts [" + Instant.ofEpochMilli(accepted.startMillis()) + ", "
                + Instant.ofEpochMilli(accepted.endMillis() - 1) + "] now";
        return t < accepted.startMillis()
                ? "timestamp " + Timestamps.describe(t) + " is older than the group's TTL allows (retention would delete it at "
                        + "once); " + window
                : "timestamp " + Timestamps.describe(t) + " is too far ahead of the server clock (storage maxFutureMinutes); "
                        + window;
    }

    /** The measure as refusals name it (built only for a refusal). */
    private static String self(Measure measure) {
        return "measure " + measure.group() + "/" + measure.name();
    }

    private long writeWhole(String group, Prepared prepared, IngestBatch batch) {
        if (prepared.points.isEmpty()) {
            return 0;
        }
        try {
            measures.write(group, prepared.measure, prepared.points);
            return prepared.points.size();
        } catch (InvalidPointException e) {
            throw ApiException.badData(withOrigin(e.getMessage(), prepared, batch));
        }
    }

    /** Writes [from, to); a refused write is halved until the points the storage refuses stand alone. */
    private long writeSplitting(String group, Prepared prepared, int from, int to, IngestBatch batch,
            SortedMap<Integer, String> refused) {
        if (from >= to) {
            return 0;
        }
        try {
            measures.write(group, prepared.measure, prepared.points.subList(from, to));
            return to - from;
        } catch (InvalidPointException e) {
            if (to - from == 1) {
                refused.put(prepared.origins[from], batch.describe(prepared.origins[from]) + ": " + e.getMessage());
                return 0;
            }
            int middle = (from + to) >>> 1;
            return writeSplitting(group, prepared, from, middle, batch, refused)
                    + writeSplitting(group, prepared, middle, to, batch, refused);
        }
    }

    /** The server names a refused point by its index in the measure's write; add where it came from. */
    private static String withOrigin(String message, Prepared prepared, IngestBatch batch) {
        Matcher m = POINT_INDEX.matcher(message);
        if (m.find()) {
            int index = Integer.parseInt(m.group(1));
            if (index < prepared.points.size()) {
                return batch.describe(prepared.origins[index]) + ": " + message;
            }
        }
        return message;
    }

    private void ensureGroup(String group) {
        if (repository.database(group).isPresent()) {
            return;
        }
        Settings current = settings.current();
        if (registry.getGroup(group).isEmpty()) {
            if (current.strict()) {
                throw ApiException.notFound("group " + group + " does not exist; writes do not create groups in strict "
                        + "mode: create it first (banyan:group-create " + group + ")");
            }
            try {
                registry.createGroup(current.newGroup(group));
                LOG.info("Created group {} for a write ({})", group, current.newGroupOptions());
            } catch (InvalidSchemaException e) {
                throw ApiException.badData(e.getMessage());
            } catch (SchemaException e) {
                if (registry.getGroup(group).isEmpty()) {
                    throw e; // not the race with another writer: a real failure of the registry
                }
            }
        }
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (repository.database(group).isEmpty()) {
            Optional<GroupStatus> status = repository.status().stream().filter(s -> s.group().equals(group)).findFirst();
            if (status.isPresent() && status.get().state() != GroupStatus.State.SERVING || System.currentTimeMillis() > deadline) {
                throw ApiException.unavailable("group " + group + " is not serving: "
                        + status.map(s -> s.state() + (s.reason() == null ? "" : " (" + s.reason() + ")")).orElse("not applied yet")
                        + "; retry later", null);
            }
            pause();
        }
    }

    /**
     * The measure as this node's repository serves it; a schemaless one has every tag name and field
     * of {@code incoming} (new fields appended, in their first occurrence's type).
     */
    private Measure ensureMeasure(String group, IngestBatch.MeasurePoints incoming) {
        Measure seen = repository.measure(group, incoming.measure).orElse(null);
        if (seen != null && (!SchemalessLayout.isSchemaless(seen) || covers(seen, incoming))) {
            return seen;
        }
        for (int attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
            Measure current = registry.getMeasure(group, incoming.measure).orElse(null);
            try {
                if (current == null) {
                    create(group, incoming);
                    continue;
                }
                if (!SchemalessLayout.isSchemaless(current) || covers(current, incoming)) {
                    return awaitApplied(current);
                }
                // A name the measure has in one role keeps it: points using it in the other are refused (check).
                List<TagSpec> tags = new ArrayList<>(current.tags());
                Set<String> newTags = new TreeSet<>(incoming.tagNames);
                newTags.removeAll(incoming.fields.keySet());
                current.tags().forEach(t -> newTags.remove(t.name()));
                current.fields().forEach(f -> newTags.remove(f.name()));
                newTags.forEach(name -> tags.add(new TagSpec(name, TagSpec.TagType.STRING)));
                List<FieldSpec> fields = new ArrayList<>(current.fields());
                Map<String, FieldSpec.FieldType> newFields = new LinkedHashMap<>(incoming.fields);
                current.fields().forEach(f -> newFields.remove(f.name()));
                current.tags().forEach(t -> newFields.remove(t.name()));
                newFields.forEach((name, type) -> fields.add(new FieldSpec(name, type)));
                registry.updateMeasure(new Measure(group, current.name(), tags, fields, current.entity(), 0, 0), current.modRevision());
                LOG.info("Measure {}/{}: added tags {} and fields {}", group, current.name(), newTags, newFields.keySet());
            } catch (RevisionConflictException e) {
                // Another writer changed the measure since it was read: read it again.
            } catch (InvalidSchemaException e) {
                throw ApiException.badData(e.getMessage());
            }
        }
        throw ApiException.unavailable("measure " + group + "/" + incoming.measure + " kept changing under concurrent "
                + "writers; retry", null);
    }

    /**
     * Creates the batch's measures that do not exist yet with one registry change
     * ({@link SchemaRegistry#createMeasuresIfAbsent}), so that a first write of thousands of metrics
     * costs one schema change, not one per metric. A measure the registry refuses as invalid is left
     * to {@link #ensureMeasure}, which refuses its points alone.
     */
    private void createMissingMeasures(String group, IngestBatch batch) {
        List<Measure> missing = new ArrayList<>();
        for (IngestBatch.MeasurePoints incoming : batch.measures()) {
            if (repository.measure(group, incoming.measure).isEmpty() && registry.getMeasure(group, incoming.measure).isEmpty()) {
                missing.add(schemaless(group, incoming));
            }
        }
        if (missing.size() < 2) {
            return;
        }
        try {
            List<Measure> created = registry.createMeasuresIfAbsent(missing);
            LOG.info("Created {} measures in group {} for a write ({} new in the request)", created.size(), group, missing.size());
        } catch (InvalidSchemaException e) {
            LOG.debug("Batch creation in group {} refused ({}); creating the measures one by one", group, e.getMessage());
        }
    }

    /** A new schemaless measure for {@code incoming}'s points. */
    private static Measure schemaless(String group, IngestBatch.MeasurePoints incoming) {
        List<FieldSpec> fields = new ArrayList<>();
        incoming.fields.forEach((name, type) -> fields.add(new FieldSpec(name, type)));
        // A name the points use both ways becomes a field; points using it as a tag are refused (check).
        List<String> labelNames = incoming.tagNames.stream().filter(name -> !incoming.fields.containsKey(name)).toList();
        return SchemalessLayout.measure(group, incoming.measure, labelNames, fields);
    }

    private void create(String group, IngestBatch.MeasurePoints incoming) {
        Measure fresh = schemaless(group, incoming);
        try {
            registry.createMeasure(fresh);
            LOG.info("Created measure {}/{} with tags {} and fields {}", group, incoming.measure, incoming.tagNames, fresh.fields());
        } catch (SchemaException e) {
            if (registry.getMeasure(group, incoming.measure).isEmpty()) {
                throw e; // not the race with another writer: a real failure of the registry
            }
        }
    }

    /** Waits until this node's repository serves {@code measure} at its revision or later. */
    private Measure awaitApplied(Measure measure) {
        long deadline = System.currentTimeMillis() + APPLY_TIMEOUT_MS;
        while (true) {
            Optional<Measure> served = repository.measure(measure.group(), measure.name());
            if (served.isPresent() && served.get().modRevision() >= measure.modRevision()) {
                return served.get();
            }
            if (System.currentTimeMillis() > deadline) {
                throw ApiException.unavailable("the schema change of measure " + measure.group() + "/" + measure.name()
                        + " (revision " + measure.modRevision() + ") is not applied on this node yet; retry", null);
            }
            pause();
        }
    }

    /** Whether the measure has every tag name and field of {@code incoming} (in either role: see {@link #nameClash}). */
    private static boolean covers(Measure measure, IngestBatch.MeasurePoints incoming) {
        Set<String> declared = new HashSet<>();
        measure.tags().forEach(t -> declared.add(t.name()));
        measure.fields().forEach(f -> declared.add(f.name()));
        return declared.containsAll(incoming.tagNames) && declared.containsAll(incoming.fields.keySet());
    }

    /**
     * The refusal of a name used both as a tag (label) and as a field of one measure: they share one
     * set of names. The role the measure has already given the name stays; in a new measure, the field's.
     */
    public static String nameClash(String name) {
        return "'" + name + "' is both a tag and a field; in Banyan a measure's tags and fields share one set of names: "
                + "rename one of them";
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for a schema change", e);
        }
    }
}
