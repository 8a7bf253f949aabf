package dev.banyan.schema.internal.registry;

import java.time.Duration;
import java.time.Instant;

/** Time as retry loops see it; tests substitute a clock whose sleep only advances the time. */
public interface RetryClock {

    RetryClock SYSTEM = new RetryClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };

    Instant now();

    void sleep(Duration duration) throws InterruptedException;
}
