package dev.banyan.schema.internal.repository;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.GroupDatabaseSupplier;
import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.Readiness;
import dev.banyan.schema.api.ReadinessCheck;
import dev.banyan.schema.api.RegistryState;
import dev.banyan.schema.api.RepositoryCounters;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.SchemaRepository;

/**
 * [R5]-[R8] Keeps every group of the registry initialised on this node. Events are processed on the
 * caller's thread first; a permanent failure goes to {@link FailFast}, a transient one to the retry
 * workers, which retry with bounded exponential backoff until the failure goes away or turns out
 * to be permanent.
 */
public final class Repository implements SchemaRepository, SchemaEventHandler, RepositoryMetricsMBean, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Repository.class);

    /** A group as this node knows it. {@code schema} is null until its database opened (or, portable, at once). */
    private record GroupEntry(String name, Group schema, GroupDatabase database, String failure) {
        boolean initialised() {
            return schema != null;
        }
    }

    private final SchemaRegistry registry;
    private final GroupDatabaseSupplier supplier;
    private final FailFast failFast;
    private final RetryPolicy policy;
    private final Map<String, GroupEntry> groups = new ConcurrentHashMap<>();
    private final Map<String, Measure> measures = new ConcurrentHashMap<>();
    private final Object initLock = new Object();
    private final ScheduledThreadPoolExecutor workers;
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong panics = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    /** Set under {@link #initLock} by {@link #close()}: no database is opened after it. */
    private volatile boolean closed;
    /** The other parts of the node that must serve for it to be ready (see {@link ReadinessCheck}). */
    private volatile java.util.function.Supplier<? extends java.util.Collection<ReadinessCheck>> checks = List::of;
    /** Set once boot ({@link #onInit}) has initialised every group of the registry. */
    private volatile boolean booted;

    /** @param supplier null for a node that stores no data: every group is portable */
    public Repository(SchemaRegistry registry, GroupDatabaseSupplier supplier, FailFast failFast, RetryPolicy policy) {
        this.registry = registry;
        this.supplier = supplier;
        this.failFast = failFast;
        this.policy = policy;
        AtomicInteger threads = new AtomicInteger();
        this.workers = new ScheduledThreadPoolExecutor(policy.workers(), runnable -> {
            Thread thread = new Thread(runnable, "banyan-schema-retry-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** [R6] Boot: initialise every group in registry order; the first failure aborts with its cause intact. */
    @Override
    public void onInit(Set<Kind> kinds) {
        for (Group group : registry.listGroups()) {
            try {
                initGroup(group);
            } catch (Exception e) {
                throw new SchemaException("fails to init the group " + group.name() + ": " + e.getMessage(), e);
            }
            for (Measure measure : registry.listMeasures(group.name())) {
                try {
                    checkStored(measure);
                } catch (Exception e) {
                    throw new SchemaException("fails to init the measure " + measure.group() + "/" + measure.name() + ": "
                            + e.getMessage(), e);
                }
                measures.put(key(measure.group(), measure.name()), measure);
            }
        }
        booted = true;
    }

    /** [R7] Synchronous first; failures are classified and escalated or queued. */
    @Override
    public void onEvent(SchemaEvent event) {
        try {
            apply(event);
        } catch (Throwable t) {
            failed(event, t, 0);
        }
    }

    /**
     * [R11] Refuses a group this node's storage could never open with the proposed definition, and
     * a measure whose stored points no write could match.
     */
    @Override
    public void validate(SchemaEvent proposed) throws Exception {
        if (supplier != null && proposed.object() instanceof Group group) {
            supplier.check(group);
        }
        if (proposed.type() != SchemaEvent.Type.DELETE && proposed.object() instanceof Measure measure) {
            GroupEntry owner = groups.get(measure.group());
            if (owner != null && owner.database() != null) {
                owner.database().check(measure);
            }
        }
    }

    /**
     * [R11] A measure that reaches this node without {@link #validate} (at boot from an offline
     * edit, or from another server of a shared registry) and that its group's stored points could
     * never match: permanent, since no retry changes what is stored.
     */
    private void checkStored(Measure measure) throws Exception {
        GroupEntry owner = groups.get(measure.group());
        if (owner != null && owner.database() != null) {
            try {
                owner.database().check(measure);
            } catch (InvalidSchemaException e) {
                throw PermanentErrors.asPermanent(e);
            }
        }
    }

    private void apply(SchemaEvent event) throws Exception {
        if (event.object() instanceof Group group) {
            if (event.type() == SchemaEvent.Type.DELETE) {
                removeGroup(group.name());
            } else {
                initGroup(group);
            }
        } else if (event.object() instanceof Measure measure) {
            String key = key(measure.group(), measure.name());
            if (event.type() == SchemaEvent.Type.DELETE) {
                measures.remove(key);
                return;
            }
            GroupEntry owner = groups.get(measure.group());
            if (owner == null || !owner.initialised()) {
                Group group = registry.getGroup(measure.group()).orElseThrow(() -> new SchemaException(
                        measure.describe() + ": group " + measure.group() + " does not exist"));
                initGroup(group);
            }
            checkStored(measure);
            measures.put(key, measure);
        }
    }

    /**
     * [R5] Opens the group's database unless it is open already; the schema is recorded only once
     * the open succeeded, so a failed group is opened again by the next init or event.
     */
    void initGroup(Group schema) throws Exception {
        synchronized (initLock) {
            if (closed) {
                throw new SchemaException("group " + schema.name() + ": the repository is closed");
            }
            GroupEntry current = groups.get(schema.name());
            if (current != null && current.initialised()) {
                if (current.database() != null && !current.schema().sameDefinition(schema)) {
                    current.database().update(schema);
                }
                groups.put(schema.name(), new GroupEntry(schema.name(), schema, current.database(), null));
                return;
            }
            if (supplier == null) {
                groups.put(schema.name(), new GroupEntry(schema.name(), schema, null, null));
                return;
            }
            try {
                GroupDatabase database = supplier.open(schema);
                groups.put(schema.name(), new GroupEntry(schema.name(), schema, database, null));
                LOG.info("Group {} initialised", schema.name());
            } catch (Exception e) {
                groups.put(schema.name(), new GroupEntry(schema.name(), null, null, String.valueOf(e.getMessage())));
                throw e;
            }
        }
    }

    private void removeGroup(String name) throws Exception {
        synchronized (initLock) {
            GroupEntry removed = groups.remove(name);
            measures.keySet().removeIf(k -> k.startsWith(name + "/"));
            if (removed != null && removed.database() != null) {
                removed.database().close();
            }
        }
    }

    private void failed(SchemaEvent event, Throwable failure, int attempt) {
        errors.incrementAndGet();
        String context = event.object().describe() + ": processing " + event.type();
        if (PermanentErrors.isPermanent(failure)) {
            failFast.fail(context, failure);
            return;
        }
        retries.incrementAndGet();
        int next = attempt + 1;
        LOG.warn("{} failed (attempt {}), retrying in {}: {}", context, next, policy.delay(next), failure.toString());
        queued.incrementAndGet();
        workers.schedule(() -> retry(event, next), policy.delay(next).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** [R8] One retry: re-reads the registry so a stale event never resurrects a deleted object. */
    private void retry(SchemaEvent event, int attempt) {
        queued.decrementAndGet();
        try {
            apply(current(event));
        } catch (Exception e) {
            failed(event, e, attempt);
        } catch (Throwable t) {
            // An unexpected throwable must not kill the worker or lose the event.
            panics.incrementAndGet();
            LOG.error("Retry worker met an unexpected throwable on {}", event.object().describe(), t);
            failed(event, t, attempt);
        }
    }

    private SchemaEvent current(SchemaEvent event) {
        if (event.object() instanceof Group group) {
            return registry.getGroup(group.name()).map(g -> new SchemaEvent(SchemaEvent.Type.UPDATE, g, event.revision()))
                    .orElse(new SchemaEvent(SchemaEvent.Type.DELETE, group, event.revision()));
        }
        Measure measure = (Measure) event.object();
        return registry.getMeasure(measure.group(), measure.name())
                .map(m -> new SchemaEvent(SchemaEvent.Type.UPDATE, m, event.revision()))
                .orElse(new SchemaEvent(SchemaEvent.Type.DELETE, measure, event.revision()));
    }

    @Override
    public List<GroupStatus> status() {
        List<GroupStatus> statuses = new ArrayList<>();
        for (GroupEntry entry : groups.values()) {
            int count = (int) measures.keySet().stream().filter(k -> k.startsWith(entry.name() + "/")).count();
            GroupStatus.State state = !entry.initialised() ? GroupStatus.State.FAILED
                    : entry.database() == null ? GroupStatus.State.PORTABLE : GroupStatus.State.SERVING;
            statuses.add(new GroupStatus(entry.name(), state, entry.failure(), count));
        }
        statuses.sort(Comparator.comparing(GroupStatus::group));
        return statuses;
    }

    @Override
    public Readiness readiness() {
        if (failFast.hasFailed()) {
            return new Readiness(false, "fail-fast under way");
        }
        if (closed) {
            return new Readiness(false, "stopping");
        }
        if (!booted) {
            return new Readiness(false, "booting");
        }
        RegistryState schema = registry.state();
        if (!schema.current()) {
            return new Readiness(false, "schema registry " + schema.backend() + ": " + schema.detail());
        }
        List<GroupStatus> statuses = status();
        List<String> notServing = statuses.stream().filter(s -> s.state() != GroupStatus.State.SERVING)
                .map(s -> "group " + s.group() + ": " + s.state() + (s.reason() == null ? "" : " (" + s.reason() + ")")).toList();
        List<String> problems = new java.util.ArrayList<>(notServing);
        for (ReadinessCheck check : checks.get()) {
            String reason = check.notReady();
            if (reason != null) {
                problems.add(reason);
            }
        }
        return problems.isEmpty() ? new Readiness(true, "serving " + statuses.size() + " group(s)")
                : new Readiness(false, String.join("; ", problems));
    }

    /** [R11] Where readiness finds the node's other parts to ask (e.g. the HTTP door); none by default. */
    public void readinessChecks(java.util.function.Supplier<? extends java.util.Collection<ReadinessCheck>> checks) {
        this.checks = checks;
    }

    @Override
    public boolean isReady() {
        return readiness().ready();
    }

    @Override
    public String getReadiness() {
        return readiness().reason();
    }

    @Override
    public Optional<GroupDatabase> database(String group) {
        GroupEntry entry = groups.get(group);
        return entry == null ? Optional.empty() : Optional.ofNullable(entry.database());
    }

    @Override
    public Optional<Measure> measure(String group, String name) {
        return Optional.ofNullable(measures.get(key(group, name)));
    }

    @Override
    public RepositoryCounters counters() {
        return new RepositoryCounters(errors.get(), retries.get(), panics.get());
    }

    @Override
    public long getErrors() {
        return errors.get();
    }

    @Override
    public long getRetries() {
        return retries.get();
    }

    @Override
    public long getPanics() {
        return panics.get();
    }

    @Override
    public int getQueuedRetries() {
        return queued.get();
    }

    /** Stops the retry workers and closes every database this repository opened. */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            // A worker that met a permanent error is held by fail-fast until the process exits:
            // waiting for it would only delay that exit.
            if (!failFast.hasFailed()) {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (initLock) {
            closed = true;
            for (GroupEntry entry : groups.values()) {
                if (entry.database() != null) {
                    try {
                        entry.database().close();
                    } catch (Exception e) {
                        LOG.error("Cannot close the database of group {}", entry.name(), e);
                    }
                }
            }
            groups.clear();
            measures.clear();
        }
    }

    private static String key(String group, String name) {
        return group + "/" + name;
    }
}
