package dev.banyan.schema.api;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * [R3] Receives the registry's changes for the kinds it registered for. Register it through
 * {@link SchemaRegistry#registerHandler} or publish it as an OSGi service with the properties
 * {@value #NAME_PROPERTY} and {@value #KINDS_PROPERTY} (whiteboard).
 * <p>
 * A method that cannot complete throws: an exception whose chain is permanent (see
 * {@code dev.banyan.initerror}) tells the caller that retrying is useless.
 */
@ConsumerType
public interface SchemaEventHandler {

    String NAME_PROPERTY = "banyan.handler.name";
    String KINDS_PROPERTY = "banyan.handler.kinds";

    /** Brings the handler up to date with the registry before any event is delivered. */
    default void onInit(Set<Kind> kinds) throws Exception {
    }

    void onEvent(SchemaEvent event) throws Exception;

    /**
     * [R11] Called before the registry commits an added or updated object of a kind this handler
     * registered for; throwing refuses the change (nothing is stored, no event is sent). A handler
     * refuses here what it could never apply, such as a group its node's stored data cannot be
     * opened with. Must not change anything.
     *
     * @throws InvalidSchemaException naming the object and the field (any other exception refuses too)
     * @since 1.1
     */
    default void validate(SchemaEvent proposed) throws Exception {
    }
}
