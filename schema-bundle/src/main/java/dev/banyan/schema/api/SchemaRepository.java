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

    /**
     * [R11] The node's readiness, the one state behind {@code banyan:status}, the JMX attribute
     * {@code Ready} of {@code dev.banyan:type=SchemaRepository} and HTTP {@code /-/ready}: ready only
     * once boot has initialised every group and while every group of the registry is SERVING (open
     * with its storage on this node); never again once fail-fast has started or the repository is
     * closing. While this service is not registered (booting, or storage not available), the node
     * is not ready either.
     *
     * @since 1.1
     */
    Readiness readiness();
}
