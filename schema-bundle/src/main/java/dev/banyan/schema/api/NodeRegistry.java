package dev.banyan.schema.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The servers that share one distributed schema registry. Each server registers itself with a lease
 * that it keeps alive; a server that dies disappears once its lease expires. Published as an OSGi
 * service only when the registry backend is distributed (etcd).
 */
@ProviderType
public interface NodeRegistry {

    /** This server's node id. */
    String selfId();

    /**
     * The live nodes, sorted by id.
     *
     * @throws SchemaException if the registry cannot be reached (the message names the endpoint)
     */
    List<ClusterNode> liveNodes();
}
