package dev.banyan.schema.internal.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.HandlerRegistration;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.RegistryState;
import dev.banyan.schema.api.RevisionConflictException;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.schema.api.SchemaObject;
import dev.banyan.schema.api.SchemaRegistry;

/**
 * [R2][R3] The registry kept in one YAML file under the data root. Changes are serialised: each is
 * persisted (crash-atomically) before it is visible or announced, then delivered to handlers on the
 * caller's thread in revision order.
 */
public final class EmbeddedRegistry implements SchemaRegistry {

    public static final Duration DEFAULT_ONINIT_TIMEOUT = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);

    private final Path file;
    private final RetryClock clock;
    private final Duration onInitTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final HandlerList handlers = new HandlerList();
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Measure> measures = new LinkedHashMap<>();
    private long revision;
    /** [R11] Why the registry file cannot be written, or null: set by a failed write or probe, cleared once one succeeds. */
    private volatile String unwritable;

    public EmbeddedRegistry(Path directory, RetryClock clock, Duration onInitTimeout) {
        this.file = directory.resolve(RegistryFile.NAME);
        this.clock = clock;
        this.onInitTimeout = onInitTimeout;
        RegistryFile.Contents contents = RegistryFile.read(file);
        contents.groups().forEach(g -> groups.put(g.name(), g));
        contents.measures().forEach(m -> measures.put(key(m.group(), m.name()), m));
        long newest = contents.revision();
        for (Group g : groups.values()) {
            newest = Math.max(newest, g.modRevision());
        }
        for (Measure m : measures.values()) {
            newest = Math.max(newest, m.modRevision());
        }
        revision = newest;
        unwritable = writeProblem();
        if (unwritable != null) {
            LOG.error("{}: schema changes cannot be stored; the node is not ready until it can", unwritable);
        }
    }

    private String writeProblem() {
        String problem = AtomicFile.cannotWrite(file.getParent());
        return problem == null ? null : "cannot write the schema registry " + file + " (" + problem + ")";
    }

    /** [R11] Current, unless the registry file cannot be written (looked at again on every call until it can). */
    @Override
    public RegistryState state() {
        if (unwritable != null) {
            unwritable = writeProblem();
        }
        String problem = unwritable;
        return new RegistryState("embedded", problem == null, revision(), problem == null ? "" : problem);
    }

    public Path file() {
        return file;
    }

    @Override
    public long revision() {
        return locked(() -> revision);
    }

    @Override
    public Group createGroup(Group group) {
        return locked(() -> {
            if (groups.containsKey(group.name())) {
                throw new SchemaException("group " + group.name() + " already exists");
            }
            Group stored = group.withRevisions(revision + 1, revision + 1);
            validate(SchemaEvent.Type.ADD, stored);
            commit(() -> groups.put(stored.name(), stored), () -> groups.remove(stored.name()));
            announce(SchemaEvent.Type.ADD, stored);
            return stored;
        });
    }

    @Override
    public Group updateGroup(Group group) {
        return locked(() -> {
            Group current = groups.get(group.name());
            if (current == null) {
                throw new SchemaException("group " + group.name() + " does not exist");
            }
            Group stored = group.withRevisions(current.createRevision(), revision + 1);
            SchemaEvolution.checkUpdate(current, stored);
            validate(SchemaEvent.Type.UPDATE, stored);
            commit(() -> groups.put(stored.name(), stored), () -> groups.put(current.name(), current));
            announce(SchemaEvent.Type.UPDATE, stored);
            return stored;
        });
    }

    @Override
    public boolean deleteGroup(String name) {
        return locked(() -> {
            Group current = groups.get(name);
            if (current == null) {
                return false;
            }
            List<String> owned = measures.values().stream().filter(m -> m.group().equals(name)).map(Measure::name).toList();
            if (!owned.isEmpty()) {
                throw new SchemaException("group " + name + " still has measures " + owned + ": delete them first");
            }
            commit(() -> groups.remove(name), () -> groups.put(name, current));
            announce(SchemaEvent.Type.DELETE, current);
            return true;
        });
    }

    @Override
    public Optional<Group> getGroup(String name) {
        return locked(() -> Optional.ofNullable(groups.get(name)));
    }

    @Override
    public List<Group> listGroups() {
        return locked(() -> List.copyOf(groups.values()));
    }

    @Override
    public Measure createMeasure(Measure measure) {
        return locked(() -> {
            if (!groups.containsKey(measure.group())) {
                throw new SchemaException(measure.describe() + ": group " + measure.group() + " does not exist");
            }
            String key = key(measure.group(), measure.name());
            if (measures.containsKey(key)) {
                throw new SchemaException(measure.describe() + " already exists");
            }
            Measure stored = measure.withRevisions(revision + 1, revision + 1);
            validate(SchemaEvent.Type.ADD, stored);
            commit(() -> measures.put(key, stored), () -> measures.remove(key));
            announce(SchemaEvent.Type.ADD, stored);
            return stored;
        });
    }

    /** One validation, one file write and one revision per measure for the whole list (see the interface). */
    @Override
    public List<Measure> createMeasuresIfAbsent(List<Measure> list) {
        return locked(() -> {
            List<Measure> fresh = new ArrayList<>();
            for (Measure measure : list) {
                if (!groups.containsKey(measure.group())) {
                    throw new SchemaException(measure.describe() + ": group " + measure.group() + " does not exist");
                }
                if (!measures.containsKey(key(measure.group(), measure.name()))) {
                    long at = revision + fresh.size() + 1;
                    Measure stored = measure.withRevisions(at, at);
                    handlers.validate(new SchemaEvent(SchemaEvent.Type.ADD, stored, at));
                    fresh.add(stored);
                }
            }
            if (fresh.isEmpty()) {
                return List.of();
            }
            commit(fresh.size(), () -> fresh.forEach(m -> measures.put(key(m.group(), m.name()), m)),
                    () -> fresh.forEach(m -> measures.remove(key(m.group(), m.name()))));
            fresh.forEach(m -> handlers.announce(new SchemaEvent(SchemaEvent.Type.ADD, m, m.modRevision())));
            return List.copyOf(fresh);
        });
    }

    @Override
    public Measure updateMeasure(Measure measure) {
        return update(measure, -1);
    }

    @Override
    public Measure updateMeasure(Measure measure, long expectedModRevision) {
        return update(measure, expectedModRevision);
    }

    /** @param expectedModRevision the modRevision the stored measure must have, or -1 for any */
    private Measure update(Measure measure, long expectedModRevision) {
        return locked(() -> {
            String key = key(measure.group(), measure.name());
            Measure current = measures.get(key);
            if (current == null) {
                throw new SchemaException(measure.describe() + " does not exist");
            }
            if (expectedModRevision >= 0 && current.modRevision() != expectedModRevision) {
                throw new RevisionConflictException(measure.describe() + " is at revision " + current.modRevision()
                        + ", not " + expectedModRevision + ": re-read it and apply the change again");
            }
            Measure stored = measure.withRevisions(current.createRevision(), revision + 1);
            SchemaEvolution.checkUpdate(current, stored);
            validate(SchemaEvent.Type.UPDATE, stored);
            commit(() -> measures.put(key, stored), () -> measures.put(key, current));
            announce(SchemaEvent.Type.UPDATE, stored);
            return stored;
        });
    }

    @Override
    public boolean deleteMeasure(String group, String name) {
        return locked(() -> {
            String key = key(group, name);
            Measure current = measures.get(key);
            if (current == null) {
                return false;
            }
            commit(() -> measures.remove(key), () -> measures.put(key, current));
            announce(SchemaEvent.Type.DELETE, current);
            return true;
        });
    }

    @Override
    public Optional<Measure> getMeasure(String group, String name) {
        return locked(() -> Optional.ofNullable(measures.get(key(group, name))));
    }

    @Override
    public List<Measure> listMeasures(String group) {
        return locked(() -> measures.values().stream().filter(m -> m.group().equals(group)).toList());
    }

    @Override
    public HandlerRegistration registerHandler(String name, Set<Kind> kinds, SchemaEventHandler handler) {
        // Holding the lock through init means no change can slip between init and the first event.
        return locked(() -> handlers.register(name, kinds, handler, clock, onInitTimeout));
    }

    /** [R11] Lets every handler of the object's kind refuse the change before anything is stored. */
    private void validate(SchemaEvent.Type type, SchemaObject object) {
        handlers.validate(new SchemaEvent(type, object, revision + 1));
    }

    /** Applies a change in memory, persists it, and undoes it in memory if persisting fails. */
    private void commit(Runnable apply, Runnable undo) {
        commit(1, apply, undo);
    }

    /** As {@link #commit(Runnable, Runnable)} for a change of {@code revisions} revisions, persisted with one write. */
    private void commit(int revisions, Runnable apply, Runnable undo) {
        apply.run();
        try {
            RegistryFile.write(file, new RegistryFile.Contents(revision + revisions, List.copyOf(groups.values()),
                    List.copyOf(measures.values())));
        } catch (IOException | RuntimeException e) {
            undo.run();
            unwritable = "cannot write the schema registry " + file + ": " + e.getMessage();
            throw new SchemaException(unwritable, e);
        }
        unwritable = null;
        revision += revisions;
    }

    private void announce(SchemaEvent.Type type, SchemaObject object) {
        handlers.announce(new SchemaEvent(type, object, revision));
    }

    private <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private static String key(String group, String name) {
        return group + "/" + name;
    }
}
