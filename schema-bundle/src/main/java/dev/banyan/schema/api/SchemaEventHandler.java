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
}
