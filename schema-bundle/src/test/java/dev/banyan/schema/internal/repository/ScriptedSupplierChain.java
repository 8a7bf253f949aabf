package dev.banyan.schema.internal.repository;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.GroupDatabaseSupplier;

/** Opens the first group with one supplier and every later one with another, recording the order. */
final class ScriptedSupplierChain implements GroupDatabaseSupplier {

    static final List<String> opened = new CopyOnWriteArrayList<>();
    private final GroupDatabaseSupplier first;
    private final GroupDatabaseSupplier rest;

    ScriptedSupplierChain(GroupDatabaseSupplier first, GroupDatabaseSupplier rest) {
        this.first = first;
        this.rest = rest;
        opened.clear();
    }

    @Override
    public GroupDatabase open(Group group) throws Exception {
        opened.add(group.name());
        return (opened.size() == 1 ? first : rest).open(group);
    }
}
