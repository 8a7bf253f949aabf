package dev.banyan.schema.internal.etcd;

/**
 * The one place that knows where things live in etcd, under a configurable prefix (default
 * {@code /banyan}), so several clusters can share one etcd:
 * <pre>
 * &lt;prefix&gt;/schema/groups/&lt;group&gt;              a group (JSON)
 * &lt;prefix&gt;/schema/measures/&lt;group&gt;/&lt;measure&gt;  a measure (JSON)
 * &lt;prefix&gt;/nodes/&lt;node id&gt;                 a live server (JSON, attached to its lease)
 * </pre>
 * Names cannot contain {@code /} (see {@code Names}), so a key names exactly one object.
 */
record KeySpace(String prefix) {

    KeySpace {
        String trimmed = prefix.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.startsWith("/")) {
            throw new IllegalArgumentException("etcd prefix '" + prefix + "' must start with '/'");
        }
        prefix = trimmed;
    }

    String schema() {
        return prefix + "/schema/";
    }

    String groups() {
        return schema() + "groups/";
    }

    String group(String name) {
        return groups() + name;
    }

    String measures(String group) {
        return schema() + "measures/" + group + "/";
    }

    String measure(String group, String name) {
        return measures(group) + name;
    }

    String nodes() {
        return prefix + "/nodes/";
    }

    String node(String id) {
        return nodes() + id;
    }

    /** Whether {@code key} is a group's key (else it must be a measure's). */
    boolean isGroup(String key) {
        return key.startsWith(groups());
    }

    /** The [group, measure] names of a measure key, or null if the key is not one. */
    String[] measureNames(String key) {
        String prefix = schema() + "measures/";
        if (!key.startsWith(prefix)) {
            return null;
        }
        String[] parts = key.substring(prefix.length()).split("/", -1);
        return parts.length == 2 ? parts : null;
    }
}
