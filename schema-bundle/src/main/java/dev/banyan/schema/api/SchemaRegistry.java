package dev.banyan.schema.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * [R2] Stores groups and measures, stamps every change with an increasing revision, and tells
 * registered handlers. The embedded implementation keeps one YAML file under the data root; the
 * contract (revisions, ordered events, no partial writes) is the one a distributed key-value
 * backend such as etcd provides as well.
 */
@ProviderType
public interface SchemaRegistry {

    /** The revision of the latest change, 0 for an empty registry. */
    long revision();

    /** @throws SchemaException if the group exists */
    Group createGroup(Group group);

    /** @throws SchemaException if the group does not exist */
    Group updateGroup(Group group);

    /** Deletes a group; its measures must be deleted first. @return whether it existed */
    boolean deleteGroup(String name);

    Optional<Group> getGroup(String name);

    /** Groups in creation order. */
    List<Group> listGroups();

    /** @throws SchemaException if the measure exists or its group does not */
    Measure createMeasure(Measure measure);

    Measure updateMeasure(Measure measure);

    /**
     * Creates each of {@code measures} that does not exist yet, in as few changes as the backend
     * allows: the embedded registry writes its file once for the whole list, etcd creates up to
     * {@value #MAX_MEASURES_PER_CHANGE} measures per transaction. Each creation is still a
     * compare-and-set on the measure's absence with a revision of its own (or its transaction's),
     * and handlers are told of each in revision order, as for {@link #createMeasure}. A measure that
     * exists already (another writer's, possibly with another schema) is left as it is, so
     * concurrent provisioning of the same names is safe. Schemaless ingest creates the new measures
     * of one request with one call, so that its cost does not grow with the number of measures
     * the registry holds times the number of new ones.
     *
     * @param measures measures to create, with distinct names
     * @return the measures this call created, with their revisions, in the order given
     * @throws SchemaException if a group does not exist, a measure is invalid (nothing created on the
     *                         embedded registry; on etcd, earlier transactions stay), or the backend
     *                         fails (transient failures say so through their cause)
     * @since 1.1
     */
    List<Measure> createMeasuresIfAbsent(List<Measure> measures);

    /** Measures one backend change of {@link #createMeasuresIfAbsent} holds at most (etcd's default transaction size). */
    int MAX_MEASURES_PER_CHANGE = 64;

    /**
     * Compare-and-set: replaces the measure only if its stored {@code modRevision} is still
     * {@code expectedModRevision} (the revision the caller read), so concurrent writers never lose
     * each other's changes. Writers that add tags to a measure they do not own (schemaless ingest)
     * re-read and retry on a conflict.
     *
     * @throws RevisionConflictException if the stored measure has another modRevision; nothing written
     * @throws SchemaException           if the measure does not exist
     */
    Measure updateMeasure(Measure measure, long expectedModRevision);

    boolean deleteMeasure(String group, String name);

    Optional<Measure> getMeasure(String group, String name);

    /** The measures of {@code group} in creation order. */
    List<Measure> listMeasures(String group);

    /**
     * [R3][R4] Runs {@code handler.onInit(kinds)}, retrying transient failures every second until a
     * deadline, then delivers every later change of those kinds. Changes wait while a handler
     * initialises, so none is lost between its init and its first event.
     *
     * @throws SchemaException {@code OnInit <name>: <cause>} for a permanent failure (still
     *                         permanent), {@code OnInit <name> exceeded deadline: <cause>} otherwise
     */
    HandlerRegistration registerHandler(String name, Set<Kind> kinds, SchemaEventHandler handler);

    /**
     * Whether this server's copy of the schema is current. A local registry always is; a distributed
     * one is not before its first synchronisation or while its backend cannot be reached.
     *
     * @since 1.1
     */
    default RegistryState state() {
        return new RegistryState("embedded", true, revision(), "");
    }
}
