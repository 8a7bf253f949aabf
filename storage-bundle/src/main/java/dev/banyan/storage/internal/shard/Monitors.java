package dev.banyan.storage.internal.shard;

import java.util.function.BooleanSupplier;

/** Waiting on an object's monitor for a state, as closing a shard or a database must. */
public final class Monitors {

    private Monitors() {
    }

    /**
     * Waits on {@code monitor} (held by the caller) until {@code condition} holds. An interrupt does
     * not cut the wait short (what is awaited must finish for close to be safe); it is kept for the caller.
     */
    public static void awaitUninterruptibly(Object monitor, BooleanSupplier condition) {
        boolean interrupted = false;
        while (!condition.getAsBoolean()) {
            try {
                monitor.wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
