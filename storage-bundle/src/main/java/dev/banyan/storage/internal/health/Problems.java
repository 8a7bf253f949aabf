package dev.banyan.storage.internal.health;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.TsdbHealth;

/**
 * The current problems of one component (a shard, a group), by kind: a kind is set when its
 * operation fails and cleared when it next succeeds, so health shows exactly what is failing now.
 * Thread-safe.
 */
public final class Problems {

    private final Clock clock;
    private final Map<String, TsdbHealth.Problem> current = new LinkedHashMap<>();

    public Problems(Clock clock) {
        this.clock = clock;
    }

    /** Records (or updates the message of) the problem of {@code kind}, keeping when it was first seen. */
    public synchronized void set(String kind, Path path, String message, boolean permanent) {
        TsdbHealth.Problem previous = current.get(kind);
        long since = previous != null ? previous.sinceMillis() : clock.millis();
        current.put(kind, new TsdbHealth.Problem(path, message, permanent, since));
    }

    public synchronized void clear(String kind) {
        current.remove(kind);
    }

    public synchronized boolean has(String kind) {
        return current.containsKey(kind);
    }

    public synchronized void addTo(List<TsdbHealth.Problem> into) {
        into.addAll(current.values());
    }

    public synchronized List<TsdbHealth.Problem> list() {
        return new ArrayList<>(current.values());
    }
}
