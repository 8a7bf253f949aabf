package dev.banyan.schema.api;

/**
 * [R11] A part of the node besides its groups that must serve for the node to be ready, such as the
 * HTTP door. Registered as an OSGi service by the bundle that owns the part; while any registered
 * check answers a reason, {@link SchemaRepository#readiness()} is not ready and names it
 * ({@code banyan:status}, JMX {@code Ready}, {@code /-/ready}).
 *
 * @since 1.1
 */
@FunctionalInterface
public interface ReadinessCheck {

    /**
     * Called on every readiness question, so it must answer quickly (well under a second) and never throw.
     *
     * @return null while the part serves, else why not, for an operator (e.g. {@code HTTP: nothing listens on
     *         http://127.0.0.1:8181/})
     */
    String notReady();
}
