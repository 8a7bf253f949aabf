package dev.banyan.schema.internal.repository;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.GroupDatabaseSupplier;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Measure;

/**
 * A supplier that throws the scripted failures first, then opens a database that records closes and
 * refuses the measures its stored points are scripted to contradict.
 */
public final class ScriptedSupplier implements GroupDatabaseSupplier {

    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger closes = new AtomicInteger();
    public final List<Group> updates = new ArrayList<>();
    private final Deque<Throwable> failures = new ConcurrentLinkedDeque<>();
    private final Map<String, String> storedFieldsProblems = new ConcurrentHashMap<>();

    public ScriptedSupplier failWith(Throwable... errors) {
        failures.addAll(List.of(errors));
        return this;
    }

    /** Databases opened from now on refuse measure {@code name} ({@link GroupDatabase#check}) with {@code problem}. */
    public ScriptedSupplier refuseMeasure(String name, String problem) {
        storedFieldsProblems.put(name, problem);
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
            public void check(Measure measure) {
                String problem = storedFieldsProblems.get(measure.name());
                if (problem != null) {
                    throw new InvalidSchemaException(measure.describe(), "fields", problem);
                }
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
    }
}
