package dev.banyan.schema.api;

import org.osgi.annotation.versioning.ConsumerType;

/** The storage of one group, as opened by a {@link GroupDatabaseSupplier}. */
@ConsumerType
public interface GroupDatabase extends AutoCloseable {

    /** Applies changed resource options of the same group. */
    void update(Group group) throws Exception;

    @Override
    void close() throws Exception;
}
