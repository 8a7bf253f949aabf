package dev.banyan.schema.internal.registry;

import java.util.List;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;

/**
 * [S15][R11] Which changes of an existing group or measure stored data can honour; a registry
 * refuses every other change before committing it, naming the object and the field. Kept apart from
 * any backend so that every registry (embedded, etcd) applies the same rules.
 * <ul>
 * <li>Group: shard count, segment interval num and TTL may change; the catalog and the segment
 * interval unit may not (segment directories are named by the unit).</li>
 * <li>Measure: fields may be appended (points written before have them absent) and tags may be
 * added; existing fields and tags keep their name, type and order, and the entity stays the same.
 * Anything else needs a new measure (or deleting this one first).</li>
 * </ul>
 */
public final class SchemaEvolution {

    private SchemaEvolution() {
    }

    /** @throws InvalidSchemaException naming the group and the field that may not change */
    public static void checkUpdate(Group current, Group updated) {
        String self = updated.describe();
        if (current.catalog() != updated.catalog()) {
            throw new InvalidSchemaException(self, "catalog", "cannot change from " + current.catalog() + " to " + updated.catalog());
        }
        var before = current.resourceOpts().segmentInterval().unit();
        var after = updated.resourceOpts().segmentInterval().unit();
        if (before != after) {
            throw new InvalidSchemaException(self, "segmentInterval", "the unit cannot change from " + before + " to " + after
                    + " (segment directories are named by it); the num, the TTL and the shard count can. To change the unit, "
                    + "delete the group and its data, then create it again");
        }
    }

    /** @throws InvalidSchemaException naming the measure and the field that may not change */
    public static void checkUpdate(Measure current, Measure updated) {
        String self = updated.describe();
        if (!current.entity().equals(updated.entity())) {
            throw new InvalidSchemaException(self, "entity", "cannot change from " + current.entity() + " to " + updated.entity()
                    + " (it is the identity of every stored series)");
        }
        keptAsPrefix(self, "fields", current.fields(), updated.fields(), FieldSpec::name, f -> f.type().name());
        for (TagSpec tag : current.tags()) {
            TagSpec now = updated.tags().stream().filter(t -> t.name().equals(tag.name())).findFirst().orElse(null);
            if (now == null) {
                throw new InvalidSchemaException(self, "tags", "tag '" + tag.name() + "' cannot be removed (stored series carry it)");
            }
            if (now.type() != tag.type()) {
                throw new InvalidSchemaException(self, "tags", "tag '" + tag.name() + "' cannot change type from " + tag.type()
                        + " to " + now.type());
            }
        }
    }

    /** The stored list must be a prefix of the new one: same names and types in the same order. */
    private static <T> void keptAsPrefix(String self, String field, List<T> current, List<T> updated,
            java.util.function.Function<T, String> name, java.util.function.Function<T, String> type) {
        for (int i = 0; i < current.size(); i++) {
            T was = current.get(i);
            if (i >= updated.size() || !name.apply(updated.get(i)).equals(name.apply(was))) {
                throw new InvalidSchemaException(self, field, "'" + name.apply(was) + "' must stay at position " + (i + 1)
                        + ": existing " + field + " cannot be removed, renamed or reordered, only new ones appended");
            }
            if (!type.apply(updated.get(i)).equals(type.apply(was))) {
                throw new InvalidSchemaException(self, field, "'" + name.apply(was) + "' cannot change type from "
                        + type.apply(was) + " to " + type.apply(updated.get(i)));
            }
        }
    }
}
