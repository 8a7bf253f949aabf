package dev.banyan.schema.internal.failfast;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.SchemaFixture;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.internal.registry.EmbeddedRegistry;
import dev.banyan.schema.internal.registry.RetryClock;
import dev.banyan.schema.internal.repository.Repository;
import dev.banyan.schema.internal.repository.RetryPolicy;
import dev.banyan.schema.internal.repository.ScriptedSupplier;

/**
 * Child-JVM entry point wired like the server, with the real exit action. Modes: {@code sync} (the
 * synchronous event path meets the permanent error), {@code worker} (a retry worker does), and
 * {@code boot} (boot meets it).
 */
public final class FailFastMain {

    static final String VERSION_ERROR = "incompatible version 1.3.0, supported versions: 1.4.0, 1.5.0, segment: /data/g1/seg-20240101";
    static final int STATUS = 3;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Path.of(args[1]);
        FailFastService failFast = new FailFastService(new ExitAction(() -> { }, STATUS, Duration.ofSeconds(5)));
        ScriptedSupplier supplier = new ScriptedSupplier();
        Throwable permanent = PermanentErrors.asPermanent(new IOException(VERSION_ERROR));
        EmbeddedRegistry registry = new EmbeddedRegistry(dir, RetryClock.SYSTEM, Duration.ofSeconds(5));
        Repository repository = new Repository(registry, supplier, failFast, new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(100)));
        switch (mode) {
            case "sync" -> {
                registry.registerHandler("schema-repository", EnumSet.allOf(Kind.class), repository);
                supplier.failWith(permanent);
                registry.createGroup(SchemaFixture.group("g1"));
            }
            case "worker" -> {
                registry.registerHandler("schema-repository", EnumSet.allOf(Kind.class), repository);
                supplier.failWith(new IOException("busy"), new IOException("busy"), permanent);
                registry.createGroup(SchemaFixture.group("g1"));
            }
            case "boot" -> {
                new EmbeddedRegistry(dir, RetryClock.SYSTEM, Duration.ofSeconds(5)).createGroup(SchemaFixture.group("g1"));
                EmbeddedRegistry restarted = new EmbeddedRegistry(dir, RetryClock.SYSTEM, Duration.ofSeconds(5));
                Repository booting = new Repository(restarted, supplier, failFast, RetryPolicy.defaults());
                supplier.failWith(permanent);
                try {
                    restarted.registerHandler("schema-repository", EnumSet.allOf(Kind.class), booting);
                } catch (RuntimeException e) {
                    failFast.fail("schema repository boot", e);
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
        if (!mode.equals("worker")) {
            // The failing call was synchronous: reaching this line would mean carrying on without g1.
            System.out.println("SERVING");
        }
        // A transient first failure returns at once (by design); the retry worker must end the process.
        Thread.sleep(60_000);
    }
}
