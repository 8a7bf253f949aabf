package dev.banyan.schema.api;

/**
 * A change the registry made.
 *
 * @param type     added, updated or deleted
 * @param object   the object as it is now (for a delete: as it was)
 * @param revision the registry revision of the change
 */
public record SchemaEvent(Type type, SchemaObject object, long revision) {

    public enum Type {
        ADD, UPDATE, DELETE
    }

    public Kind kind() {
        return object.kind();
    }
}
