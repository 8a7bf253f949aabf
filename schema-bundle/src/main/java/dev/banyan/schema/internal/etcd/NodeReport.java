package dev.banyan.schema.internal.etcd;

import java.util.List;

/**
 * What a node publishes about itself in the node registry.
 *
 * @param groups the groups it serves (open with their storage), sorted
 * @param ready  whether it serves every group with a current schema
 */
public record NodeReport(List<String> groups, boolean ready) {

    public NodeReport {
        groups = List.copyOf(groups);
    }
}
