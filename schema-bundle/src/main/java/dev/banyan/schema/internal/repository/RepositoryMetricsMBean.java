package dev.banyan.schema.internal.repository;

/** [R10] The repository counters over JMX ({@code dev.banyan:type=SchemaRepository}). */
public interface RepositoryMetricsMBean {

    long getErrors();

    long getRetries();

    long getPanics();

    int getQueuedRetries();
}
