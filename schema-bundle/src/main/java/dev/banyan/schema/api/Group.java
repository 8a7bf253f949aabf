package dev.banyan.schema.api;

import java.util.Objects;

/**
 * [R1] A group: a name, a catalog and resource options. Revisions are assigned by the registry;
 * pass 0 when creating.
 */
public record Group(String name, Catalog catalog, ResourceOpts resourceOpts, long createRevision, long modRevision)
        implements SchemaObject {

    public Group {
        Names.check("group '" + name + "'", "name", name);
        String self = "group " + name;
        if (catalog == null) {
            throw new InvalidSchemaException(self, "catalog", "is missing");
        }
        if (resourceOpts == null) {
            throw new InvalidSchemaException(self, "resourceOpts", "is missing");
        }
        resourceOpts.check(self);
    }

    public static Group of(String name, Catalog catalog, ResourceOpts resourceOpts) {
        return new Group(name, catalog, resourceOpts, 0, 0);
    }

    public Group withRevisions(long create, long mod) {
        return new Group(name, catalog, resourceOpts, create, mod);
    }

    /** Whether two versions describe the same group, ignoring revisions. */
    public boolean sameDefinition(Group other) {
        return other != null && name.equals(other.name) && catalog == other.catalog
                && Objects.equals(resourceOpts, other.resourceOpts);
    }

    @Override
    public Kind kind() {
        return Kind.GROUP;
    }

    @Override
    public String describe() {
        return "group " + name;
    }
}
