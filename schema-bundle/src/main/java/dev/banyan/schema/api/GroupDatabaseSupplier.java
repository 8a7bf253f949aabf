package dev.banyan.schema.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * [R5] SPI: opens the database of a group on this node. Implemented by the bundle that joins
 * schema and storage, and published as an OSGi service. Without a supplier, groups are
 * <em>portable</em>: the node only caches their schema.
 */
@ConsumerType
public interface GroupDatabaseSupplier {

    /**
     * @throws Exception whose chain is permanent (for example an incompatible storage version) if
     *                   no retry can succeed; any other failure is retried
     */
    GroupDatabase open(Group group) throws Exception;

    /**
     * [R11] Read-only: refuses a group definition the data this node already stores for the group
     * can never be opened with (for example a segment interval unit other than its segments are
     * named by). Opens and creates nothing.
     *
     * @throws InvalidSchemaException naming the group and the field
     * @since 1.1
     */
    default void check(Group group) throws Exception {
    }
}
