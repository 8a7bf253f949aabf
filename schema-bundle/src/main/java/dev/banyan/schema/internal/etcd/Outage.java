package dev.banyan.schema.internal.etcd;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * When etcd stopped answering, per channel (the schema watch, the node lease), and the latest cause.
 * The outage is the oldest unresolved failure: it ends when every channel has succeeded again.
 */
final class Outage {

    enum Channel {
        WATCH, LEASE
    }

    /** An outage under way: since when, and the latest failure. */
    record Current(Instant since, Throwable cause) {
    }

    private final Map<Channel, Instant> failingSince = new EnumMap<>(Channel.class);
    private Throwable lastCause;

    /** @return true if this failure starts an outage (no channel was failing) */
    synchronized boolean failed(Channel channel, Throwable cause, Instant now) {
        boolean starts = failingSince.isEmpty();
        failingSince.putIfAbsent(channel, now);
        lastCause = cause;
        return starts;
    }

    /** @return the outage this success ended, or null if it ended none */
    synchronized Current recovered(Channel channel) {
        Current before = current();
        failingSince.remove(channel);
        return before != null && failingSince.isEmpty() ? before : null;
    }

    synchronized Current current() {
        return failingSince.values().stream().min(Instant::compareTo).map(since -> new Current(since, lastCause)).orElse(null);
    }
}
