package dev.banyan.schema.internal.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.HandlerRegistration;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.RevisionConflictException;
import dev.banyan.schema.api.RegistryState;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaObject;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.internal.registry.HandlerList;
import dev.banyan.schema.internal.registry.SchemaEvolution;
import dev.banyan.schema.internal.registry.RetryClock;

/**
 * [R2][R3] The schema registry kept in etcd and shared by every server pointing at it.
 * <ul>
 * <li>Revisions are etcd's: an object's create and mod revision are those of its key.</li>
 * <li>Every change is one compare-and-set transaction, so of two servers creating the same object
 * one wins and the other is told it already exists; a measure is created only while its group
 * exists, a group deleted only while it has no measure.</li>
 * <li>One watch on the schema keys keeps this server's copy and drives the handlers, for changes
 * made here and on every other server alike, in revision order. A change made here returns once
 * this server's handlers have seen it.</li>
 * <li>When etcd cannot be reached the watch is re-opened with bounded exponential backoff, from
 * the last revision applied, so no change is lost; if etcd compacted that revision away the
 * registry reads the schema afresh and tells the handlers the difference. The owner decides when
 * the outage has lasted too long ({@link Outage}).</li>
 * </ul>
 * Reads answer from this server's copy; {@link #state()} says whether it is current.
 */
public final class EtcdRegistry implements SchemaRegistry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdRegistry.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final int PAGE = 500;
    private static final int CAS_ATTEMPTS = 5;

    private final EtcdClient client;
    private final KeySpace keys;
    private final SchemaCodec codec;
    private final Outage outage;
    private final Duration deadline;
    private final Duration onInitTimeout;
    private final Consumer<Throwable> fatal;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final Map<String, Group> groups = new HashMap<>();
    private final Map<String, Measure> measures = new HashMap<>();
    private final HandlerList handlers = new HandlerList();
    /** Guarded by lock: the etcd revision up to which this copy has applied every schema change. */
    private long revision;
    /** Guarded by lock: the copy has been read from etcd at least once. */
    private boolean synced;
    /** Guarded by lock: set when the owner reported a fatal error and came back (tests only). */
    private Throwable failure;
    private volatile boolean closed;
    private volatile EtcdClient.Watch watch;
    private final Thread watcher;

    /**
     * Starts reading the schema and watching it at once, on a thread of its own.
     *
     * @param fatal called (once, by the watcher) with an error the registry cannot continue with: an
     *              invalid object in etcd, or etcd refusing the watch
     */
    EtcdRegistry(EtcdClient client, KeySpace keys, Outage outage, Duration deadline, Duration onInitTimeout,
            Consumer<Throwable> fatal) {
        this.client = client;
        this.keys = keys;
        this.codec = new SchemaCodec(keys);
        this.outage = outage;
        this.deadline = deadline;
        this.onInitTimeout = onInitTimeout;
        this.fatal = fatal;
        this.watcher = new Thread(this::watchLoop, "banyan-etcd-schema-watch");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    // ---------------------------------------------------------------- the watch

    private void watchLoop() {
        Duration backoff = FIRST_BACKOFF;
        boolean resync = true;
        while (!closed) {
            try {
                if (resync) {
                    resync();
                    resync = false;
                }
                try (EtcdClient.Watch stream = client.watch(keys.schema(), EtcdClient.prefixEnd(keys.schema()), appliedRevision() + 1)) {
                    watch = stream;
                    if (closed) {
                        return;
                    }
                    JsonNode created = stream.next();
                    resync = compactedAway(created);
                    if (resync) {
                        continue;
                    }
                    connected("watching the schema from revision " + (appliedRevision() + 1));
                    backoff = FIRST_BACKOFF;
                    while (!closed && !resync) {
                        JsonNode response = stream.next();
                        resync = compactedAway(response);
                        if (!resync && response.path("events").size() > 0) {
                            apply(response.path("events"));
                        }
                    }
                }
            } catch (EtcdException e) {
                if (closed) {
                    return;
                }
                if (e.compacted()) {
                    resync = true;
                    continue;
                }
                if (e.isPermanent()) {
                    fatal.accept(e);
                    return;
                }
                if (outage.failed(Outage.Channel.WATCH, e, Instant.now())) {
                    LOG.warn("etcd {} unreachable: {}; this server's schema may be stale (retrying for {} s)",
                            client.endpoints(), e.getMessage(), deadline.toSeconds());
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                // An invalid object in etcd (permanent) or a bug: either way this copy cannot be trusted.
                if (!closed) {
                    fatal.accept(e);
                }
                return;
            }
        }
    }

    /** A watch etcd cancelled because the revision asked for was compacted: read afresh. */
    private boolean compactedAway(JsonNode response) {
        if (!response.path("canceled").asBoolean(false)) {
            return false;
        }
        long compacted = response.path("compact_revision").asLong(0);
        if (compacted == 0) {
            throw EtcdException.unreachable(client.endpoint() + " cancelled the schema watch: "
                    + response.path("cancel_reason").asText("no reason given"), null);
        }
        LOG.warn("etcd {} compacted its history up to revision {}, past this server's revision {}: reading the schema afresh",
                client.endpoint(), compacted, appliedRevision());
        return true;
    }

    private void connected(String what) {
        Outage.Current ended = outage.recovered(Outage.Channel.WATCH);
        if (ended != null) {
            LOG.info("etcd {} reachable again after {} ms: {}", client.endpoint(),
                    Duration.between(ended.since(), Instant.now()).toMillis(), what);
        }
    }

    /** Applies a batch of watch events in order and tells the handlers. */
    private void apply(JsonNode events) {
        lock.lock();
        try {
            for (JsonNode event : events) {
                EtcdClient.KeyValue kv = EtcdClient.keyValue(event.path("kv"));
                if ("DELETE".equals(event.path("type").asText("PUT"))) {
                    SchemaObject removed = uncache(kv.key());
                    if (removed != null) {
                        applied(SchemaEvent.Type.DELETE, removed, kv.modRevision());
                    }
                } else {
                    SchemaObject object = codec.decode(kv);
                    SchemaObject previous = cache(object);
                    applied(previous == null ? SchemaEvent.Type.ADD : SchemaEvent.Type.UPDATE, object, kv.modRevision());
                }
                revision = Math.max(revision, kv.modRevision());
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reads every schema object at one revision (in pages) and replaces this copy with it, telling
     * the handlers what changed: deletions first (measures before their groups), then groups, then
     * measures, in revision order.
     */
    private void resync() {
        String end = EtcdClient.prefixEnd(keys.schema());
        List<SchemaObject> read = new ArrayList<>();
        long at = 0;
        String from = keys.schema();
        while (true) {
            EtcdClient.Range page = client.range(from, end, at, PAGE);
            at = at == 0 ? page.revision() : at;
            page.kvs().forEach(kv -> read.add(codec.decode(kv)));
            if (!page.more() || page.kvs().isEmpty()) {
                break;
            }
            from = page.kvs().get(page.kvs().size() - 1).key() + "\0";
        }
        lock.lock();
        try {
            Map<String, SchemaObject> fresh = new HashMap<>();
            read.forEach(o -> fresh.put(codec.key(o), o));
            List<SchemaObject> gone = new ArrayList<>(measures.values());
            gone.addAll(groups.values());
            for (SchemaObject old : gone) {
                if (!fresh.containsKey(codec.key(old))) {
                    uncache(codec.key(old));
                    announce(SchemaEvent.Type.DELETE, old, at);
                }
            }
            read.sort(Comparator.comparing((SchemaObject o) -> o.kind() == Kind.GROUP ? 0 : 1)
                    .thenComparingLong(SchemaObject::modRevision));
            for (SchemaObject object : read) {
                SchemaObject previous = cache(object);
                if (previous == null) {
                    announce(SchemaEvent.Type.ADD, object, object.modRevision());
                } else if (previous.modRevision() != object.modRevision()) {
                    announce(SchemaEvent.Type.UPDATE, object, object.modRevision());
                }
            }
            revision = Math.max(revision, at);
            if (!synced) {
                LOG.info("Schema registry on etcd {} (prefix {}): {} group(s), {} measure(s) at revision {}",
                        client.endpoint(), keys.prefix(), groups.size(), measures.size(), at);
            }
            synced = true;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        connected("read the schema at revision " + at);
    }

    /** Schema changes are rare and cluster-wide: each server logs each one it applies. */
    private void applied(SchemaEvent.Type type, SchemaObject object, long at) {
        LOG.info("Schema change from etcd at revision {}: {} {}", at, type, object.describe());
        announce(type, object, at);
    }

    private SchemaObject cache(SchemaObject object) {
        return object instanceof Group g ? groups.put(g.name(), g) : measures.put(codec.key(object), (Measure) object);
    }

    private SchemaObject uncache(String key) {
        if (keys.isGroup(key)) {
            return groups.remove(key.substring(keys.groups().length()));
        }
        return measures.remove(key);
    }

    private void announce(SchemaEvent.Type type, SchemaObject object, long at) {
        handlers.announce(new SchemaEvent(type, object, at));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- state

    private long appliedRevision() {
        return locked(() -> revision);
    }

    /** Called by the owner after it reported {@code cause} as fatal and was not stopped (tests). */
    void failed(Throwable cause) {
        locked(() -> {
            failure = cause;
            progress.signalAll();
            return null;
        });
    }

    /** Waits until this copy has applied {@code target}; false after {@code timeout}. */
    private boolean awaitRevision(long target, Duration timeout) {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (revision < target && !closed && failure == null && left > 0) {
                left = progress.awaitNanos(left);
            }
            return revision >= target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first read of the schema: up to the deadline, as boot retries ([R4]). */
    private void awaitSynced() {
        long left = deadline.plus(client.requestTimeout()).toNanos();
        lock.lock();
        try {
            while (!synced && !closed && failure == null && left > 0) {
                left = progress.awaitNanos(left);
            }
            if (!synced) {
                throw notSynced();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaException("interrupted while waiting for the schema from etcd " + client.endpoints(), e);
        } finally {
            lock.unlock();
        }
    }

    private SchemaException notSynced() {
        Outage.Current current = outage.current();
        Throwable cause = failure != null ? failure : current == null ? null : current.cause();
        String why = closed ? "the registry is closed" : cause == null ? "not read yet" : cause.getMessage();
        return new SchemaException("the schema has not been read from etcd " + client.endpoints() + ": " + why, cause);
    }

    @Override
    public RegistryState state() {
        return locked(() -> {
            String backend = "etcd " + client.endpoints() + " (prefix " + keys.prefix() + ")";
            Outage.Current current = outage.current();
            if (failure != null || closed) {
                return new RegistryState(backend, false, revision, closed ? "closed" : "failed: " + failure.getMessage());
            }
            if (current != null) {
                return new RegistryState(backend, false, revision, "etcd unreachable since " + current.since()
                        + " (" + current.cause().getMessage() + "); the server stops at " + current.since().plus(deadline)
                        + " unless etcd answers again");
            }
            if (!synced) {
                return new RegistryState(backend, false, revision, "the schema has not been read yet");
            }
            return new RegistryState(backend, true, revision, "");
        });
    }

    // ---------------------------------------------------------------- reads

    @Override
    public long revision() {
        return appliedRevision();
    }

    @Override
    public Optional<Group> getGroup(String name) {
        return read(() -> Optional.ofNullable(groups.get(name)));
    }

    @Override
    public List<Group> listGroups() {
        return read(() -> groups.values().stream().sorted(Comparator.comparingLong(Group::createRevision)).toList());
    }

    @Override
    public Optional<Measure> getMeasure(String group, String name) {
        return read(() -> Optional.ofNullable(measures.get(keys.measure(group, name))));
    }

    @Override
    public List<Measure> listMeasures(String group) {
        return read(() -> measures.values().stream().filter(m -> m.group().equals(group))
                .sorted(Comparator.comparingLong(Measure::createRevision)).toList());
    }

    private <T> T read(Supplier<T> reader) {
        return locked(() -> {
            if (!synced) {
                throw notSynced();
            }
            return reader.get();
        });
    }

    // ---------------------------------------------------------------- writes

    @Override
    public Group createGroup(Group group) {
        String key = keys.group(group.name());
        handlers.validate(new SchemaEvent(SchemaEvent.Type.ADD, group, 0));
        JsonNode answer = txn(List.of(compareCreate(key, "EQUAL")), List.of(put(key, codec.encode(group))), group, "created");
        if (!succeeded(answer)) {
            throw new SchemaException("group " + group.name() + " already exists");
        }
        long at = EtcdClient.revision(answer);
        return seen(group.withRevisions(at, at));
    }

    @Override
    public Group updateGroup(Group group) {
        String key = keys.group(group.name());
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            EtcdClient.KeyValue current = readKey(key, group, "updated");
            if (current == null) {
                throw new SchemaException("group " + group.name() + " does not exist");
            }
            SchemaEvolution.checkUpdate((Group) codec.decode(current), group);
            handlers.validate(new SchemaEvent(SchemaEvent.Type.UPDATE, group, 0));
            JsonNode answer = txn(List.of(compareMod(key, current.modRevision())), List.of(put(key, codec.encode(group))),
                    group, "updated");
            if (succeeded(answer)) {
                return seen(group.withRevisions(current.createRevision(), EtcdClient.revision(answer)));
            }
        }
        throw concurrent(group);
    }

    @Override
    public boolean deleteGroup(String name) {
        String key = keys.group(name);
        Group probe = null;
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            EtcdClient.KeyValue current = readKey(key, null, "deleted");
            if (current == null) {
                return false;
            }
            probe = (Group) codec.decode(current);
            String measuresOf = keys.measures(name);
            ObjectNode noMeasures = compareCreate(measuresOf, "EQUAL").put("range_end", EtcdClient.encode(EtcdClient.prefixEnd(measuresOf)));
            JsonNode answer = txn(List.of(compareMod(key, current.modRevision()), noMeasures), List.of(delete(key)), probe, "deleted");
            if (succeeded(answer)) {
                seen(probe.withRevisions(probe.createRevision(), EtcdClient.revision(answer)));
                return true;
            }
            List<String> owned = call(probe, "deleted", () -> client.range(measuresOf, EtcdClient.prefixEnd(measuresOf), 0, 0))
                    .kvs().stream().map(kv -> kv.key().substring(measuresOf.length())).toList();
            if (!owned.isEmpty()) {
                throw new SchemaException("group " + name + " still has measures " + owned + ": delete them first");
            }
        }
        throw concurrent(probe);
    }

    @Override
    public Measure createMeasure(Measure measure) {
        String groupKey = keys.group(measure.group());
        String key = keys.measure(measure.group(), measure.name());
        handlers.validate(new SchemaEvent(SchemaEvent.Type.ADD, measure, 0));
        JsonNode answer = txn(List.of(compareCreate(groupKey, "GREATER"), compareCreate(key, "EQUAL")),
                List.of(put(key, codec.encode(measure))), measure, "created");
        if (!succeeded(answer)) {
            if (readKey(groupKey, measure, "created") == null) {
                throw new SchemaException(measure.describe() + ": group " + measure.group() + " does not exist");
            }
            throw new SchemaException(measure.describe() + " already exists");
        }
        long at = EtcdClient.revision(answer);
        return seen(measure.withRevisions(at, at));
    }

    /**
     * One transaction per {@value #MAX_MEASURES_PER_CHANGE} measures, each put guarded by its key's
     * absence and the group's existence; a transaction refused because another writer created one
     * of them is redone for the measures still absent.
     */
    @Override
    public List<Measure> createMeasuresIfAbsent(List<Measure> list) {
        List<Measure> created = new ArrayList<>();
        for (int from = 0; from < list.size(); from += MAX_MEASURES_PER_CHANGE) {
            List<Measure> chunk = list.subList(from, Math.min(list.size(), from + MAX_MEASURES_PER_CHANGE));
            for (int attempt = 0; ; attempt++) {
                List<Measure> absent = chunk.stream().filter(m -> getMeasure(m.group(), m.name()).isEmpty()).toList();
                if (absent.isEmpty()) {
                    break;
                }
                if (attempt == CAS_ATTEMPTS) {
                    throw concurrent(absent.get(0));
                }
                List<ObjectNode> compare = new ArrayList<>();
                List<ObjectNode> puts = new ArrayList<>();
                absent.stream().map(Measure::group).distinct().forEach(g -> compare.add(compareCreate(keys.group(g), "GREATER")));
                for (Measure measure : absent) {
                    handlers.validate(new SchemaEvent(SchemaEvent.Type.ADD, measure, 0));
                    String key = keys.measure(measure.group(), measure.name());
                    compare.add(compareCreate(key, "EQUAL"));
                    puts.add(put(key, codec.encode(measure)));
                }
                JsonNode answer = txn(compare, puts, absent.get(0), "created");
                if (succeeded(answer)) {
                    long at = EtcdClient.revision(answer);
                    absent.forEach(m -> created.add(m.withRevisions(at, at)));
                    awaitSeen(at, absent.size() + " measures of group " + absent.get(0).group());
                    break;
                }
                for (Measure measure : absent) {
                    if (readKey(keys.group(measure.group()), measure, "created") == null) {
                        throw new SchemaException(measure.describe() + ": group " + measure.group() + " does not exist");
                    }
                }
                // Another writer created some of them: read them (this server's copy follows the watch) and retry the rest.
                for (Measure measure : absent) {
                    EtcdClient.KeyValue kv = readKey(keys.measure(measure.group(), measure.name()), measure, "created");
                    if (kv != null) {
                        awaitSeen(kv.modRevision(), measure.describe());
                    }
                }
            }
        }
        return List.copyOf(created);
    }

    @Override
    public Measure updateMeasure(Measure measure) {
        String key = keys.measure(measure.group(), measure.name());
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            EtcdClient.KeyValue current = readKey(key, measure, "updated");
            if (current == null) {
                throw new SchemaException(measure.describe() + " does not exist");
            }
            SchemaEvolution.checkUpdate((Measure) codec.decode(current), measure);
            handlers.validate(new SchemaEvent(SchemaEvent.Type.UPDATE, measure, 0));
            JsonNode answer = txn(List.of(compareMod(key, current.modRevision())), List.of(put(key, codec.encode(measure))),
                    measure, "updated");
            if (succeeded(answer)) {
                return seen(measure.withRevisions(current.createRevision(), EtcdClient.revision(answer)));
            }
        }
        throw concurrent(measure);
    }

    /**
     * The same rules as {@link #updateMeasure(Measure)}, applied once at the revision the caller
     * read. A conflict returns only once this server's copy holds the revision that conflicted (or a
     * later one), bounded as {@link #seen}: the re-read the exception asks for then sees the other
     * writer's change, instead of the same stale copy conflicting again until the watch delivers it.
     */
    @Override
    public Measure updateMeasure(Measure measure, long expectedModRevision) {
        String key = keys.measure(measure.group(), measure.name());
        EtcdClient.KeyValue current = readKey(key, measure, "updated");
        if (current == null) {
            throw new SchemaException(measure.describe() + " does not exist");
        }
        long conflicting = current.modRevision();
        if (conflicting == expectedModRevision) {
            SchemaEvolution.checkUpdate((Measure) codec.decode(current), measure);
            handlers.validate(new SchemaEvent(SchemaEvent.Type.UPDATE, measure, 0));
            JsonNode answer = txn(List.of(compareMod(key, expectedModRevision)), List.of(put(key, codec.encode(measure))),
                    measure, "updated");
            if (succeeded(answer)) {
                return seen(measure.withRevisions(current.createRevision(), EtcdClient.revision(answer)));
            }
            // Changed between the read and the transaction: by the store's revision at the answer.
            conflicting = EtcdClient.revision(answer);
        }
        awaitRevision(conflicting, client.requestTimeout().multipliedBy(2));
        throw new RevisionConflictException(measure.describe() + " is at another revision than " + expectedModRevision
                + ": re-read it and apply the change again");
    }

    @Override
    public boolean deleteMeasure(String group, String name) {
        String key = keys.measure(group, name);
        JsonNode answer = call(null, "deleted", () -> client.call("/v3/kv/deleterange",
                EtcdClient.object().put("key", EtcdClient.encode(key))));
        if (answer.path("deleted").asLong(0) == 0) {
            return false;
        }
        awaitSeen(EtcdClient.revision(answer), "measure " + group + "/" + name);
        return true;
    }

    /** A change made here returns once this server's handlers have seen it, as with a local registry. */
    private <T extends SchemaObject> T seen(T object) {
        awaitSeen(object.modRevision(), object.describe());
        return object;
    }

    private void awaitSeen(long at, String what) {
        LOG.info("{} changed in etcd at revision {}", what, at);
        if (!awaitRevision(at, client.requestTimeout().multipliedBy(2))) {
            LOG.warn("{} was changed in etcd at revision {}, but this server's watch has not delivered it yet", what, at);
        }
    }

    private EtcdClient.KeyValue readKey(String key, SchemaObject object, String verb) {
        List<EtcdClient.KeyValue> kvs = call(object, verb, () -> client.range(key, null, 0, 0)).kvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    private JsonNode txn(List<ObjectNode> compare, List<ObjectNode> success, SchemaObject object, String verb) {
        ObjectNode body = EtcdClient.object();
        ArrayNode compares = body.putArray("compare");
        compare.forEach(compares::add);
        ArrayNode operations = body.putArray("success");
        success.forEach(operations::add);
        return call(object, verb, () -> client.call("/v3/kv/txn", body));
    }

    /** Runs a request for a change, naming the object in the error if etcd cannot be reached. */
    private <T> T call(SchemaObject object, String verb, Supplier<T> request) {
        if (closed) {
            throw new SchemaException("the schema registry is closed");
        }
        try {
            return request.get();
        } catch (EtcdException e) {
            String what = object == null ? "the change" : object.describe();
            throw new SchemaException(what + " was not " + verb + (e.isPermanent() ? "" : " (or its outcome is unknown: "
                    + "check before retrying)") + ": etcd " + e.getMessage(), e);
        }
    }

    private static boolean succeeded(JsonNode txnAnswer) {
        return txnAnswer.path("succeeded").asBoolean(false);
    }

    private static SchemaException concurrent(SchemaObject object) {
        return new SchemaException(object.describe() + " is being changed concurrently by another server: retry");
    }

    /** Compares a key's (or, with range_end, every key's) create revision with 0: EQUAL means absent. */
    private static ObjectNode compareCreate(String key, String result) {
        return EtcdClient.object().put("key", EtcdClient.encode(key)).put("result", result).put("target", "CREATE")
                .put("create_revision", "0");
    }

    private static ObjectNode compareMod(String key, long modRevision) {
        return EtcdClient.object().put("key", EtcdClient.encode(key)).put("result", "EQUAL").put("target", "MOD")
                .put("mod_revision", Long.toString(modRevision));
    }

    private static ObjectNode put(String key, byte[] value) {
        ObjectNode put = EtcdClient.object().put("key", EtcdClient.encode(key)).put("value", EtcdClient.encode(value));
        return EtcdClient.object().set("request_put", put);
    }

    private static ObjectNode delete(String key) {
        return EtcdClient.object().set("request_delete_range", EtcdClient.object().put("key", EtcdClient.encode(key)));
    }

    // ---------------------------------------------------------------- handlers

    @Override
    public HandlerRegistration registerHandler(String name, Set<Kind> kinds, SchemaEventHandler handler) {
        awaitSynced();
        // Holding the lock through init means no watch event can slip between init and the first event.
        return locked(() -> handlers.register(name, kinds, handler, RetryClock.SYSTEM, onInitTimeout));
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the watch; waiting callers are released with an error. */
    @Override
    public void close() {
        closed = true;
        EtcdClient.Watch current = watch;
        if (current != null) {
            current.close();
        }
        watcher.interrupt();
        locked(() -> {
            progress.signalAll();
            return null;
        });
        try {
            watcher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
