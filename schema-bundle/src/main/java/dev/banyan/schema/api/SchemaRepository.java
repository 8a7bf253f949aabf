package dev.banyan.schema.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * [R5]-[R8] Keeps the groups and measures of the registry initialised on this node: each group's
 * database open, each measure cached. Published as an OSGi service once boot initialised every
 * group; a group that cannot be initialised shows as failed with its reason.
 */
@ProviderType
public interface SchemaRepository {

    List<GroupStatus> status();

    /** The open database of a serving group. */
    Optional<GroupDatabase> database(String group);

    Optional<Measure> measure(String group, String name);

    RepositoryCounters counters();
}
