package dev.banyan.schema.internal.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.IntervalUnit;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.TagSpec;

/**
 * The embedded registry's on-disk form: one YAML document, {@code schema.yaml}, that an operator can
 * read. Loading checks every object as the API does and names the file and object on error.
 */
public final class RegistryFile {

    static final String NAME = "schema.yaml";
    private static final String HEADER = "# Banyan OSGi schema registry. Written by the server (atomically, on every change);\n"
            + "# edit only while the server is stopped. 'revision' is the revision of the latest change.\n";

    record Contents(long revision, List<Group> groups, List<Measure> measures) {
    }

    private RegistryFile() {
    }

    static Contents read(Path file) {
        if (!Files.exists(file)) {
            return new Contents(0, List.of(), List.of());
        }
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            throw new SchemaException("cannot read the schema registry " + file + ": " + e.getMessage(), e);
        }
        if (document == null) {
            return new Contents(0, List.of(), List.of());
        }
        try {
            Map<?, ?> root = map(document, "the document");
            List<Group> groups = new ArrayList<>();
            for (Object item : list(root.get("groups"), "groups")) {
                groups.add(group(map(item, "a groups entry")));
            }
            List<Measure> measures = new ArrayList<>();
            for (Object item : list(root.get("measures"), "measures")) {
                measures.add(measure(map(item, "a measures entry")));
            }
            return new Contents(number(root.get("revision"), "revision"), groups, measures);
        } catch (RuntimeException e) {
            throw new SchemaException("invalid schema registry " + file + ": " + e.getMessage(), e);
        }
    }

    static void write(Path file, Contents contents) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("revision", contents.revision());
        root.put("groups", contents.groups().stream().map(RegistryFile::groupMap).toList());
        root.put("measures", contents.measures().stream().map(RegistryFile::measureMap).toList());
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        String yaml = new Yaml(new Representer(options), options).dump(root);
        AtomicFile.write(file, (HEADER + yaml).getBytes(StandardCharsets.UTF_8));
    }

    /** A group as a mapping, the form both this file and the etcd backend store. */
    public static Map<String, Object> groupMap(Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", g.name());
        m.put("catalog", g.catalog().name());
        m.put("shardNum", g.resourceOpts().shardNum());
        m.put("segmentInterval", interval(g.resourceOpts().segmentInterval()));
        m.put("ttl", interval(g.resourceOpts().ttl()));
        m.put("createRevision", g.createRevision());
        m.put("modRevision", g.modRevision());
        return m;
    }

    /** A measure as a mapping, the form both this file and the etcd backend store. */
    public static Map<String, Object> measureMap(Measure ms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", ms.group());
        m.put("name", ms.name());
        m.put("tags", ms.tags().stream().map(t -> Map.of("name", t.name(), "type", t.type().name())).toList());
        m.put("fields", ms.fields().stream().map(f -> Map.of("name", f.name(), "type", f.type().name())).toList());
        m.put("entity", ms.entity());
        m.put("createRevision", ms.createRevision());
        m.put("modRevision", ms.modRevision());
        return m;
    }

    private static Map<String, Object> interval(IntervalRule rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unit", rule.unit().name());
        m.put("num", rule.num());
        return m;
    }

    /** Parses and checks a {@link #groupMap} mapping. @throws RuntimeException naming the field that is wrong */
    public static Group group(Map<?, ?> m) {
        String name = string(m.get("name"), "group name");
        String where = "group " + name;
        ResourceOpts opts = new ResourceOpts((int) number(m.get("shardNum"), where + " shardNum"),
                intervalRule(m.get("segmentInterval"), where + " segmentInterval"), intervalRule(m.get("ttl"), where + " ttl"));
        return new Group(name, enumValue(Catalog.class, m.get("catalog"), where + " catalog"), opts,
                number(m.get("createRevision"), where + " createRevision"), number(m.get("modRevision"), where + " modRevision"));
    }

    /** Parses and checks a {@link #measureMap} mapping. @throws RuntimeException naming the field that is wrong */
    public static Measure measure(Map<?, ?> m) {
        String where = "measure " + m.get("group") + "/" + m.get("name");
        List<TagSpec> tags = new ArrayList<>();
        for (Object t : list(m.get("tags"), where + " tags")) {
            Map<?, ?> tag = map(t, where + " tag");
            tags.add(new TagSpec(string(tag.get("name"), where + " tag name"),
                    enumValue(TagSpec.TagType.class, tag.get("type"), where + " tag type")));
        }
        List<FieldSpec> fields = new ArrayList<>();
        for (Object f : list(m.get("fields"), where + " fields")) {
            Map<?, ?> field = map(f, where + " field");
            fields.add(new FieldSpec(string(field.get("name"), where + " field name"),
                    enumValue(FieldSpec.FieldType.class, field.get("type"), where + " field type")));
        }
        List<String> entity = list(m.get("entity"), where + " entity").stream().map(String::valueOf).toList();
        return new Measure(string(m.get("group"), where + " group"), string(m.get("name"), where + " name"), tags, fields,
                entity, number(m.get("createRevision"), where + " createRevision"),
                number(m.get("modRevision"), where + " modRevision"));
    }

    private static IntervalRule intervalRule(Object value, String where) {
        Map<?, ?> m = map(value, where);
        return new IntervalRule(enumValue(IntervalUnit.class, m.get("unit"), where + " unit"), (int) number(m.get("num"), where + " num"));
    }

    private static Map<?, ?> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException(where + " must be a mapping, found " + value);
    }

    private static List<?> list(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException(where + " must be a list, found " + value);
    }

    private static String string(Object value, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + " is missing");
        }
        return String.valueOf(value);
    }

    private static long number(Object value, String where) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException(where + " must be a number, found " + value);
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, Object value, String where) {
        try {
            return Enum.valueOf(type, String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown value " + value + ", expected one of "
                    + List.of(type.getEnumConstants()));
        }
    }
}
