package dev.banyan.schema.internal.repository;

/** [R10][R11] The repository counters and readiness over JMX ({@code dev.banyan:type=SchemaRepository}). */
public interface RepositoryMetricsMBean {

    long getErrors();

    long getRetries();

    long getPanics();

    int getQueuedRetries();

    /** [R11] Every group SERVING with its storage; see {@code SchemaRepository.readiness()}. */
    boolean isReady();

    /** [R11] Why the node is (not) ready, for an operator. */
    String getReadiness();
}
