package dev.banyan.schema.internal.etcd;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.banyan.schema.api.ClusterNode;
import dev.banyan.schema.api.NodeRegistry;
import dev.banyan.schema.api.SchemaException;

/**
 * This server's entry in the node registry: a key {@code <prefix>/nodes/<id>} attached to a lease
 * that {@link #keepAlive()} renews, so the entry disappears by itself once the server stops renewing
 * it (killed, cut off) for longer than the lease's TTL. A clean {@link #close()} revokes the lease.
 * <p>
 * A key held by another process (another instance id) is left alone until its lease expires: that
 * is an earlier run of this server killed moments ago, or a second server configured with the same
 * node id, which the registry's deadline then reports.
 */
final class NodeRegistration implements NodeRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistration.class);

    private final EtcdClient client;
    private final KeySpace keys;
    private final String id;
    private final String address;
    private final Duration ttl;
    private final Outage outage;
    private final Supplier<NodeReport> reporter;
    private final String instance = UUID.randomUUID().toString();
    private final Instant startedAt = Instant.now();
    /** Guarded by this: the lease holding our key (0: not registered), and what the key says. */
    private long lease;
    private NodeReport published;

    NodeRegistration(EtcdClient client, KeySpace keys, String id, String address, Duration ttl, Outage outage,
            Supplier<NodeReport> reporter) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")) {
            throw new IllegalArgumentException("node id '" + id + "' must be letters, digits, '_', '.', ':' or '-' (at most 128)");
        }
        this.client = client;
        this.keys = keys;
        this.id = id;
        this.address = address;
        this.ttl = ttl;
        this.outage = outage;
        this.reporter = reporter;
    }

    /** How often {@link #keepAlive()} must run: three renewals per TTL survive two lost ones. */
    Duration keepAliveInterval() {
        return ttl.dividedBy(3);
    }

    /** Registers, or renews the lease; re-registers if the lease expired meanwhile. Never throws. */
    synchronized void keepAlive() {
        try {
            if (lease != 0) {
                JsonNode answer = client.call("/v3/lease/keepalive", EtcdClient.object().put("ID", Long.toString(lease)));
                if (answer.path("result").path("TTL").asLong(0) > 0) {
                    recovered();
                    return;
                }
                LOG.warn("Node {}: lease {} expired (etcd was out of reach for longer than its TTL of {} s): registering again",
                        id, Long.toHexString(lease), ttl.toSeconds());
                lease = 0;
            }
            register();
            recovered();
        } catch (RuntimeException e) {
            if (outage.failed(Outage.Channel.LEASE, e, Instant.now())) {
                LOG.warn("Node {}: cannot renew its registration: {}", id, e.getMessage());
            }
        }
    }

    /** Publishes this node's groups and readiness again if they changed. Never throws. */
    synchronized void refresh() {
        if (lease == 0) {
            return;
        }
        NodeReport now = reporter.get();
        if (now.equals(published)) {
            return;
        }
        try {
            put(now);
        } catch (RuntimeException e) {
            // keepAlive() meets the same failure and counts it; the report goes out once etcd answers.
            LOG.debug("Node {}: report not published yet: {}", id, e.getMessage());
        }
    }

    private void register() {
        String key = keys.node(id);
        List<EtcdClient.KeyValue> existing = client.range(key, null, 0, 0).kvs();
        if (!existing.isEmpty()) {
            JsonNode other = parse(existing.get(0).value());
            if (!instance.equals(other.path("instance").asText())) {
                throw new SchemaException("node id " + id + " is registered by another process (address "
                        + other.path("address").asText("?") + ", since " + other.path("startedAt").asText("?")
                        + "): waiting for its lease to expire; every server needs its own nodeId");
            }
        }
        long granted = client.call("/v3/lease/grant", EtcdClient.object().put("TTL", Long.toString(ttl.toSeconds())))
                .path("ID").asLong(0);
        if (granted == 0) {
            throw new SchemaException("etcd " + client.endpoint() + " granted no lease");
        }
        lease = granted;
        put(reporter.get());
        LOG.info("Node {} registered in etcd {} at {} (address {}, lease TTL {} s)", id, client.endpoint(), key, address,
                ttl.toSeconds());
    }

    private void put(NodeReport report) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", id);
        value.put("address", address);
        value.put("groups", report.groups());
        value.put("ready", report.ready());
        value.put("startedAt", startedAt.toString());
        value.put("instance", instance);
        byte[] json;
        try {
            json = EtcdClient.JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SchemaException("cannot encode node " + id, e);
        }
        client.call("/v3/kv/put", EtcdClient.object().put("key", EtcdClient.encode(keys.node(id)))
                .put("value", EtcdClient.encode(json)).put("lease", Long.toString(lease)));
        published = report;
    }

    private void recovered() {
        Outage.Current ended = outage.recovered(Outage.Channel.LEASE);
        if (ended != null) {
            LOG.info("etcd {} reachable again after {} ms: node {} registration renewed", client.endpoint(),
                    Duration.between(ended.since(), Instant.now()).toMillis(), id);
        }
    }

    @Override
    public String selfId() {
        return id;
    }

    @Override
    public List<ClusterNode> liveNodes() {
        EtcdClient.Range range;
        try {
            range = client.range(keys.nodes(), EtcdClient.prefixEnd(keys.nodes()), 0, 0);
        } catch (EtcdException e) {
            throw new SchemaException("cannot list the nodes: etcd " + e.getMessage(), e);
        }
        List<ClusterNode> nodes = new ArrayList<>();
        for (EtcdClient.KeyValue kv : range.kvs()) {
            JsonNode node = parse(kv.value());
            List<String> groups = new ArrayList<>();
            node.path("groups").forEach(g -> groups.add(g.asText()));
            Instant started;
            try {
                started = Instant.parse(node.path("startedAt").asText());
            } catch (RuntimeException e) {
                started = Instant.EPOCH;
            }
            nodes.add(new ClusterNode(kv.key().substring(keys.nodes().length()), node.path("address").asText(""), groups,
                    node.path("ready").asBoolean(false), started));
        }
        nodes.sort(Comparator.comparing(ClusterNode::id));
        return nodes;
    }

    private static JsonNode parse(byte[] value) {
        try {
            return EtcdClient.JSON.readTree(value);
        } catch (IOException e) {
            return EtcdClient.object();
        }
    }

    /** Revokes the lease: the entry disappears at once instead of after the TTL. Best effort. */
    synchronized void close() {
        if (lease == 0) {
            return;
        }
        try {
            client.call("/v3/lease/revoke", EtcdClient.object().put("ID", Long.toString(lease)));
            LOG.info("Node {} left the node registry", id);
        } catch (RuntimeException e) {
            LOG.warn("Node {}: lease not revoked ({}); its entry expires within {} s", id, e.getMessage(), ttl.toSeconds());
        }
        lease = 0;
    }
}
