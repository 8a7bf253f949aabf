package dev.banyan.schema.internal.repository;

import java.time.Duration;

/**
 * [R8] How failed events are retried: by {@code workers} threads, after a delay that doubles from
 * {@code firstDelay} up to {@code maxDelay}.
 */
public record RetryPolicy(int workers, Duration firstDelay, Duration maxDelay) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(Math.min(Runtime.getRuntime().availableProcessors(), 8), Duration.ofSeconds(1),
                Duration.ofSeconds(30));
    }

    Duration delay(int attempt) {
        long millis = firstDelay.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
}
