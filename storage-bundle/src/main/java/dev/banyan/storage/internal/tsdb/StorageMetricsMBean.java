package dev.banyan.storage.internal.tsdb;

/** [R10] The storage counters as operators see them over JMX ({@code dev.banyan:type=Storage}). */
public interface StorageMetricsMBean {

    long getRotationsStarted();

    long getRotationsFinished();

    long getRotationErrors();

    long getRetentionsStarted();

    long getRetentionsFinished();

    long getRetentionErrors();

    int getOpenDatabases();
}
