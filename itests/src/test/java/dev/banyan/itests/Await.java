package dev.banyan.itests;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls for a state instead of sleeping a fixed time. */
public final class Await {

    private Await() {
    }

    /** Returns once {@code problems} yields null; fails with its last answer after the timeout. */
    public static void until(Duration timeout, Supplier<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = problems.get();
        while (last != null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still not reached after " + timeout + ": " + last);
            }
            Thread.sleep(20);
            last = problems.get();
        }
    }
}
