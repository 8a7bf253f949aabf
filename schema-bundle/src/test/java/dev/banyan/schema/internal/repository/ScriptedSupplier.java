package dev.banyan.schema.internal.repository;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.GroupDatabaseSupplier;

/** A supplier that throws the scripted failures first, then opens a database that records closes. */
public final class ScriptedSupplier implements GroupDatabaseSupplier {

    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();
    public final List<Group> updates = new ArrayList<>();
    private final Deque<Throwable> failures = new ConcurrentLinkedDeque<>();

    public ScriptedSupplier failWith(Throwable... errors) {
        failures.addAll(List.of(errors));
        return this;
    }

    @Override
    public GroupDatabase open(Group group) throws Exception {
        calls.incrementAndGet();
        Throwable next = failures.poll();
        if (next instanceof Exception e) {
            throw e;
        }
        if (next instanceof Error e) {
            throw e;
        }
        return new GroupDatabase() {
            @Override
            public void update(Group changed) {
                updates.add(changed);
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
    }
}
