package dev.banyan.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.Test;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbHealth;

/**
 * [R11] A group whose storage reports a problem (a shard that cannot create its log) makes the node
 * not ready, naming the group and the problem; once the engine's retry succeeds it is ready again.
 */
public class StorageReadinessTest {

    private final AtomicReference<TsdbHealth> health = new AtomicReference<>(TsdbHealth.OK);

    @Test
    public void r11_aGroupWhoseStorageCannotWriteMakesTheNodeNotReadyUntilItHeals() throws Exception {
        StorageReadiness check = new StorageReadiness();
        assertNull("no repository yet: the repository's own readiness speaks", check.notReady());
        bind(check, repository(List.of(new GroupStatus("healthy", GroupStatus.State.SERVING, null, 1),
                new GroupStatus("g", GroupStatus.State.SERVING, null, 1))));
        assertNull(check.notReady());

        health.set(TsdbHealth.of(List.of(
                new TsdbHealth.Problem(Path.of("/data/g/seg-20261129/shard-0/wal-1.log"), "cannot create write-ahead log "
                        + "/data/g/seg-20261129/shard-0/wal-1.log: No such file or directory; writes to this shard fail until it "
                        + "can be created", false, 1000),
                new TsdbHealth.Problem(Path.of("/data/g/seg-20261129/shard-1"), "cannot flush", false, 2000))));
        String reason = check.notReady();
        assertTrue(reason, reason.startsWith("group g: storage DEGRADED: cannot create write-ahead log /data/g/seg-20261129/"
                + "shard-0/wal-1.log: No such file or directory"));
        assertTrue(reason, reason.endsWith("(and 1 more)"));
        assertTrue("only the group with the problem is named: " + reason, !reason.contains("healthy"));

        health.set(TsdbHealth.of(List.of(new TsdbHealth.Problem(Path.of("/data/g/part-1.bin"), "part quarantined", true, 3000))));
        assertTrue(check.notReady(), check.notReady().contains("storage FAILED: part quarantined"));

        health.set(TsdbHealth.OK);
        assertNull("healed: ready again without a restart", check.notReady());
    }

    private static void bind(StorageReadiness check, SchemaRepository repository) throws Exception {
        var field = StorageReadiness.class.getDeclaredField("repository");
        field.setAccessible(true);
        field.set(check, repository); // what Declarative Services does
    }

    /** A repository serving {@code statuses}; only group g's database has the test's health, the others are OK. */
    private SchemaRepository repository(List<GroupStatus> statuses) {
        return (SchemaRepository) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SchemaRepository.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "status" -> statuses;
                    case "database" -> Optional.of(new StorageGroupDatabase(tsdb("g".equals(args[0]) ? health : new AtomicReference<>(
                            TsdbHealth.OK))));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Tsdb tsdb(AtomicReference<TsdbHealth> of) {
        return (Tsdb) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Tsdb.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("health")) {
                        return of.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
