package dev.banyan.schema.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * [R1] A measure: series identified by the values of its {@code entity} tags, carrying numeric
 * fields. Revisions are assigned by the registry; pass 0 when creating.
 */
public record Measure(String group, String name, List<TagSpec> tags, List<FieldSpec> fields, List<String> entity,
        long createRevision, long modRevision) implements SchemaObject {

    public Measure {
        Names.check("measure '" + group + "/" + name + "'", "group", group);
        Names.checkMeasure("measure '" + group + "/" + name + "'", "name", name);
        String self = "measure " + group + "/" + name;
        tags = List.copyOf(require(self, "tags", tags));
        fields = List.copyOf(require(self, "fields", fields));
        entity = List.copyOf(require(self, "entity", entity));
        Set<String> seen = new HashSet<>();
        for (TagSpec tag : tags) {
            Names.checkMember(self, "tags", tag.name());
            if (tag.type() == null) {
                throw new InvalidSchemaException(self, "tags", "tag '" + tag.name() + "' has no type");
            }
            if (!seen.add(tag.name())) {
                throw new InvalidSchemaException(self, "tags", "duplicate name '" + tag.name() + "'");
            }
        }
        if (fields.isEmpty()) {
            throw new InvalidSchemaException(self, "fields", "a measure needs at least one field");
        }
        for (FieldSpec field : fields) {
            Names.checkMember(self, "fields", field.name());
            if (field.type() == null) {
                throw new InvalidSchemaException(self, "fields", "field '" + field.name() + "' has no type");
            }
            if (!seen.add(field.name())) {
                throw new InvalidSchemaException(self, "fields", "duplicate name '" + field.name() + "'");
            }
        }
        if (entity.isEmpty()) {
            throw new InvalidSchemaException(self, "entity", "name at least one tag that identifies a series");
        }
        Set<String> entityTags = new HashSet<>();
        for (String tag : entity) {
            if (tags.stream().noneMatch(t -> t.name().equals(tag))) {
                throw new InvalidSchemaException(self, "entity", "tag '" + tag + "' is not declared in tags");
            }
            if (!entityTags.add(tag)) {
                throw new InvalidSchemaException(self, "entity", "tag '" + tag + "' is listed twice");
            }
        }
    }

    public Measure withRevisions(long create, long mod) {
        return new Measure(group, name, tags, fields, entity, create, mod);
    }

    @Override
    public Kind kind() {
        return Kind.MEASURE;
    }

    @Override
    public String describe() {
        return "measure " + group + "/" + name;
    }

    private static <T> List<T> require(String self, String field, List<T> value) {
        if (value == null) {
            throw new InvalidSchemaException(self, field, "is missing");
        }
        return value;
    }
}
