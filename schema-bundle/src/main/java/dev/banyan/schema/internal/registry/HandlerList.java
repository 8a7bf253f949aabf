package dev.banyan.schema.internal.registry;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.HandlerRegistration;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaException;

/**
 * [R3] The handlers registered with a registry, whatever its backend: registration runs the
 * handler's {@code onInit} (with the [R4] retry) before it joins; an event goes to every handler
 * subscribed to its kind. The registry calls both while holding its own lock, so no change slips
 * between a handler's init and its first event.
 */
public final class HandlerList {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerList.class);

    private final List<Registered> handlers = new CopyOnWriteArrayList<>();

    /** @throws SchemaException if the name is taken, or as {@link OnInitRetry#run} */
    public HandlerRegistration register(String name, Set<Kind> kinds, SchemaEventHandler handler, RetryClock clock,
            Duration onInitTimeout) {
        Set<Kind> subscribed = kinds.isEmpty() ? EnumSet.noneOf(Kind.class) : EnumSet.copyOf(kinds);
        if (handlers.stream().anyMatch(h -> h.name.equals(name))) {
            throw new SchemaException("a handler named " + name + " is already registered");
        }
        OnInitRetry.run(name, subscribed, handler, clock, onInitTimeout);
        Registered registered = new Registered(name, subscribed, handler);
        handlers.add(registered);
        LOG.info("Schema handler {} registered for {}", name, subscribed);
        return registered;
    }

    /**
     * [R11] Lets every handler subscribed to the object's kind refuse a change before the registry
     * commits it.
     *
     * @throws SchemaException (an {@code InvalidSchemaException} naming the object and the field) if one refuses
     */
    public void validate(SchemaEvent proposed) {
        for (Registered handler : handlers) {
            if (!handler.kinds.contains(proposed.kind())) {
                continue;
            }
            try {
                handler.handler.validate(proposed);
            } catch (SchemaException e) {
                throw e;
            } catch (Exception e) {
                throw new SchemaException(proposed.object().describe() + ": refused by " + handler.name + ": " + e.getMessage(), e);
            }
        }
    }

    /** Delivers an event to the subscribed handlers; a handler's failure is logged, never propagated. */
    public void announce(SchemaEvent event) {
        for (Registered handler : handlers) {
            if (!handler.kinds.contains(event.kind())) {
                continue;
            }
            try {
                handler.handler.onEvent(event);
            } catch (Exception e) {
                // The change is stored; recovering from a handler's failure is that handler's business.
                LOG.error("Schema handler {} failed on {} {}: {}", handler.name, event.type(), event.object().describe(),
                        e.toString(), e);
            }
        }
    }

    private final class Registered implements HandlerRegistration {
        private final String name;
        private final Set<Kind> kinds;
        private final SchemaEventHandler handler;

        Registered(String name, Set<Kind> kinds, SchemaEventHandler handler) {
            this.name = name;
            this.kinds = kinds;
            this.handler = handler;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void close() {
            handlers.remove(this);
        }
    }
}
