package dev.banyan.server.internal;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.storage.api.Tsdb;

/** A schema group's database: the storage engine's TSDB of the same name. */
final class StorageGroupDatabase implements GroupDatabase {

    private final Tsdb tsdb;

    StorageGroupDatabase(Tsdb tsdb) {
        this.tsdb = tsdb;
    }

    Tsdb tsdb() {
        return tsdb;
    }

    @Override
    public void update(Group group) {
        tsdb.updateOptions(StorageGroupSupplier.options(group, tsdb.options().durability()));
    }

    @Override
    public void close() {
        tsdb.close();
    }
}
