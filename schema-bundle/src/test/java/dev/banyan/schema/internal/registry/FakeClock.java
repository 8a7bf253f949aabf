package dev.banyan.schema.internal.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock whose sleep advances time at once, so retry tests never sleep for real. */
public final class FakeClock implements RetryClock {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-01-01T00:00:00Z"));

    @Override
    public Instant now() {
        return now.get();
    }

    @Override
    public void sleep(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }
}
