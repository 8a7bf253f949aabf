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

    /** Heap all memtables take now (estimated), bytes. */
    long getMemtableBytes();

    /** The memtable memory budget, bytes ({@code memtableBudgetMB}). */
    long getMemtableBudgetBytes();

    /** Writes that had to wait for memtable memory. */
    long getWriteStalls();

    /** Writes refused because the memory budget stayed full ({@code StorageBusyException}). */
    long getWriteRefusals();
}
