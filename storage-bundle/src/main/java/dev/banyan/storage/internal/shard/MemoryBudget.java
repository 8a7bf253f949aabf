package dev.banyan.storage.internal.shard;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.banyan.storage.api.StorageBusyException;

/**
 * [S18] The one heap budget every memtable of an engine draws from, whatever its group, segment
 * or shard. Memtables being filled ("active") are sealed early once they hold half the budget
 * together, the largest first, so flushes start before memory runs out; sealed memtables count
 * until their part is durable. When active and sealed together reach the budget, writers wait for
 * flushes up to the stall timeout, then get a {@link StorageBusyException} with nothing written.
 */
public final class MemoryBudget {

    private final long limitBytes;
    private final Duration stallTimeout;
    private long activeBytes;
    private long sealedBytes;
    private long stalls;
    private long refusals;
    /** Shards with an active memtable: the candidates for an early seal. */
    private final Set<Shard> filling = new LinkedHashSet<>();

    public MemoryBudget(long limitBytes, Duration stallTimeout) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("memtable budget must be positive, got " + limitBytes + " bytes");
        }
        this.limitBytes = limitBytes;
        this.stallTimeout = stallTimeout;
    }

    public long limitBytes() {
        return limitBytes;
    }

    public synchronized long usedBytes() {
        return activeBytes + sealedBytes;
    }

    /** How many writes waited for room, and how many of those were refused. */
    public synchronized long stalls() {
        return stalls;
    }

    public synchronized long refusals() {
        return refusals;
    }

    /** Counts what {@code memtable} grew (or shrank) by since last counted. */
    synchronized void account(Memtable memtable) {
        long delta = memtable.bytes - memtable.accounted;
        memtable.accounted = memtable.bytes;
        if (memtable.sealedInBudget) {
            sealedBytes += delta;
        } else {
            activeBytes += delta;
        }
        if (delta < 0) {
            notifyAll();
        }
    }

    synchronized void filling(Shard shard, boolean hasActive) {
        if (hasActive) {
            filling.add(shard);
        } else {
            filling.remove(shard);
        }
    }

    /** The memtable was sealed: it stays counted until {@link #release}d. */
    synchronized void sealed(Memtable memtable) {
        account(memtable);
        if (!memtable.sealedInBudget) {
            memtable.sealedInBudget = true;
            activeBytes -= memtable.accounted;
            sealedBytes += memtable.accounted;
        }
    }

    /** The memtable's points are in a part (or dropped with their segment): its bytes are free. */
    synchronized void release(Memtable memtable) {
        if (memtable.sealedInBudget) {
            sealedBytes -= memtable.accounted;
        } else {
            activeBytes -= memtable.accounted;
        }
        memtable.accounted = 0;
        memtable.bytes = 0;
        notifyAll();
    }

    /** Seals the largest active memtable if active ones hold more than half the budget. Call holding no shard lock. */
    void relieve() {
        relieve(false);
    }

    /** @param full true when the whole budget is used: then any active memtable is worth sealing */
    private void relieve(boolean full) {
        Shard largest = null;
        synchronized (this) {
            if (!full && activeBytes <= limitBytes / 2) {
                return;
            }
            for (Shard shard : filling) {
                if (largest == null || shard.activeBytes() > largest.activeBytes()) {
                    largest = shard;
                }
            }
        }
        if (largest != null) {
            largest.sealEarly();
        }
    }

    /**
     * Returns once memtables use less than the budget, waiting for flushes at most the stall timeout.
     *
     * @throws StorageBusyException if no room was freed in time; {@code who} names the writer
     */
    public void awaitRoom(String who) {
        synchronized (this) {
            if (activeBytes + sealedBytes < limitBytes) {
                return;
            }
        }
        relieve(true); // flushing what is being filled may be all the room there is to win
        synchronized (this) {
            if (activeBytes + sealedBytes < limitBytes) {
                return;
            }
            stalls++;
            long deadline = System.nanoTime() + stallTimeout.toNanos();
            while (activeBytes + sealedBytes >= limitBytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    refusals++;
                    throw new StorageBusyException(who + ": memtables hold " + (activeBytes + sealedBytes) + " bytes of the "
                            + limitBytes + "-byte memory budget and flushes freed no room within " + stallTimeout.toMillis()
                            + " ms; nothing of this batch was written, retry it later (a failing flush shows in the "
                            + "health of its group; the budget is memtableBudgetMB of PID dev.banyan.storage)");
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StorageBusyException(who + ": interrupted while waiting for memtable memory; nothing of this "
                            + "batch was written");
                }
            }
        }
    }
}
