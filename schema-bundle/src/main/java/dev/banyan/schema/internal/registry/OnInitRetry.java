package dev.banyan.schema.internal.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaException;

/**
 * [R4] Runs a handler's {@code onInit}: a permanent failure ends it at once (one call, the clock
 * untouched); a transient one is retried every {@link #INTERVAL} until the deadline.
 */
final class OnInitRetry {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(OnInitRetry.class);

    private OnInitRetry() {
    }

    static void run(String name, Set<Kind> kinds, SchemaEventHandler handler, RetryClock clock, Duration timeout) {
        Instant deadline = clock.now().plus(timeout);
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                handler.onInit(kinds);
                return;
            } catch (Exception e) {
                if (PermanentErrors.isPermanent(e)) {
                    throw new SchemaException("OnInit " + name + ": " + e.getMessage(), e);
                }
                if (!clock.now().isBefore(deadline)) {
                    throw new SchemaException("OnInit " + name + " exceeded deadline: " + e.getMessage(), e);
                }
                LOG.warn("OnInit {} failed (attempt {}), retrying in {}: {}", name, attempt, INTERVAL, e.toString());
            }
            try {
                clock.sleep(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaException("OnInit " + name + " interrupted", e);
            }
        }
    }
}
