package dev.banyan.server.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupDatabase;
import dev.banyan.schema.api.GroupDatabaseSupplier;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.IntervalUnit;
import dev.banyan.storage.api.StorageEngine;
import dev.banyan.storage.api.TsdbOptions;

/**
 * [R5] Opens a schema group's TSDB in the storage engine. Failures pass through unchanged: an
 * incompatible segment is a permanent error (the repository fails fast), a directory still held
 * by a previous bundle revision is transient (the repository retries).
 */
@Component(service = GroupDatabaseSupplier.class, configurationPid = "dev.banyan.server", immediate = true)
@Designate(ocd = StorageGroupSupplier.Config.class)
public final class StorageGroupSupplier implements GroupDatabaseSupplier {

    @ObjectClassDefinition(name = "Banyan server", description = "How schema groups are stored.")
    public @interface Config {

        @AttributeDefinition(name = "Durability", description = "FSYNC: a write returns once fsync'd (survives power "
                + "loss). OS: once the OS has it (survives a crash of the JVM, not of the machine).")
        Durability durability() default Durability.FSYNC;
    }

    @Reference
    private StorageEngine engine;

    private Durability durability;

    @Activate
    void activate(Config config) {
        durability = config.durability();
    }

    @Override
    public GroupDatabase open(Group group) {
        return new StorageGroupDatabase(engine.open(group.name(), options(group, durability)));
    }

    /** [S15] A group's data is named by its segment interval unit: another unit can never open it. */
    @Override
    public void check(Group group) {
        var unit = group.resourceOpts().segmentInterval().unit();
        engine.segmentUnit(group.name()).filter(stored -> !stored.name().equals(unit.name())).ifPresent(stored -> {
            throw new InvalidSchemaException(group.describe(), "segmentInterval", "unit " + unit + " does not match the data "
                    + "already stored at " + engine.dataRoot().resolve(group.name()) + ", whose segments are named for " + stored
                    + "; keep " + stored + ", or delete that data first (banyan:group-delete --drop-data " + group.name() + ")");
        });
    }

    static TsdbOptions options(Group group, Durability durability) {
        var opts = group.resourceOpts();
        return TsdbOptions.of(rule(opts.segmentInterval()), rule(opts.ttl()), opts.shardNum()).withDurability(durability);
    }

    private static IntervalRule rule(dev.banyan.schema.api.IntervalRule rule) {
        return new IntervalRule(IntervalUnit.valueOf(rule.unit().name()), rule.num());
    }
}
