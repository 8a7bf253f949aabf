package dev.banyan.server.internal;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Measure;
import dev.banyan.storage.api.StorageException;
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

    /** [R11] The storage's rule for a measure's fields ({@link Tsdb#checkFields}), as a schema error. */
    @Override
    public void check(Measure measure) {
        try {
            tsdb.checkFields(measure.name(), PointValidator.fields(measure));
        } catch (StorageException e) {
            throw new InvalidSchemaException(measure.describe(), "fields", e.getMessage() + "; the points already stored "
                    + "keep their fields: keep them (new fields may be appended), or store the new definition under another "
                    + "measure name");
        }
    }

    @Override
    public void close() {
        tsdb.close();
    }
}
