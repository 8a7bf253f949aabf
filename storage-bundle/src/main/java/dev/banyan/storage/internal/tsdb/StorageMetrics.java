package dev.banyan.storage.internal.tsdb;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.banyan.storage.api.StorageCounters;
import dev.banyan.storage.internal.shard.MemoryBudget;

/** Engine-wide maintenance counters, shared by every database of one engine. */
public final class StorageMetrics implements StorageMetricsMBean {

    final AtomicLong rotationsStarted = new AtomicLong();
    final AtomicLong rotationsFinished = new AtomicLong();
    final AtomicLong rotationErrors = new AtomicLong();
    final AtomicLong retentionsStarted = new AtomicLong();
    final AtomicLong retentionsFinished = new AtomicLong();
    final AtomicLong retentionErrors = new AtomicLong();
    final AtomicInteger openDatabases = new AtomicInteger();
    private final MemoryBudget budget;

    StorageMetrics(MemoryBudget budget) {
        this.budget = budget;
    }

    public StorageCounters snapshot() {
        return new StorageCounters(rotationsStarted.get(), rotationsFinished.get(), rotationErrors.get(),
                retentionsStarted.get(), retentionsFinished.get(), retentionErrors.get());
    }

    @Override
    public long getRotationsStarted() {
        return rotationsStarted.get();
    }

    @Override
    public long getRotationsFinished() {
        return rotationsFinished.get();
    }

    @Override
    public long getRotationErrors() {
        return rotationErrors.get();
    }

    @Override
    public long getRetentionsStarted() {
        return retentionsStarted.get();
    }

    @Override
    public long getRetentionsFinished() {
        return retentionsFinished.get();
    }

    @Override
    public long getRetentionErrors() {
        return retentionErrors.get();
    }

    @Override
    public int getOpenDatabases() {
        return openDatabases.get();
    }

    @Override
    public long getMemtableBytes() {
        return budget.usedBytes();
    }

    @Override
    public long getMemtableBudgetBytes() {
        return budget.limitBytes();
    }

    @Override
    public long getWriteStalls() {
        return budget.stalls();
    }

    @Override
    public long getWriteRefusals() {
        return budget.refusals();
    }
}
