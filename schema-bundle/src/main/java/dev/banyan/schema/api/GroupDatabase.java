package dev.banyan.schema.api;

import org.osgi.annotation.versioning.ConsumerType;

/** The storage of one group, as opened by a {@link GroupDatabaseSupplier}. */
@ConsumerType
public interface GroupDatabase extends AutoCloseable {

    /** Applies changed resource options of the same group. */
    void update(Group group) throws Exception;

    /**
     * [R11] Read-only: refuses a definition of a measure of this group that the points this
     * database already stores for it could never be written with (a stored field dropped, moved or
     * given another type, for example by deleting a measure and creating it again with other field
     * types over its kept points). Opens and changes nothing.
     *
     * @throws InvalidSchemaException naming the measure, the field and both types
     * @since 1.1
     */
    default void check(Measure measure) throws Exception {
    }

    @Override
    void close() throws Exception;
}
