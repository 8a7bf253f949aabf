package dev.banyan.schema.api;

import java.time.Instant;
import java.util.List;

/**
 * A Banyan server registered in the node registry.
 *
 * @param id        the node's id, unique in the cluster
 * @param address   where other nodes and clients reach it (as configured, e.g. {@code host:8181})
 * @param groups    the groups it serves (every group it has open with its storage), sorted
 * @param ready     whether it serves every group of the schema with a current schema
 * @param startedAt when it registered (its process started serving the cluster)
 */
public record ClusterNode(String id, String address, List<String> groups, boolean ready, Instant startedAt) {

    public ClusterNode {
        groups = List.copyOf(groups);
    }
}
