package dev.banyan.shell.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.storage.api.StorageEngine;

/** banyan:group-create, banyan:group-list, banyan:group-update, banyan:group-delete. */
public final class GroupCommands {

    private GroupCommands() {
    }

    @Service
    @Command(scope = "banyan", name = "group-create", description = "Creates a measure group; its database opens at once.")
    public static class Create implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "name", required = true, description = "Group name (letters, digits, '_' and '-')")
        private String name;

        @Option(name = "--shards", description = "Shards per segment (default 2)")
        private int shards = 2;

        @Option(name = "--interval", description = "Segment interval, e.g. 1d or 12h (default 1d)")
        private String interval = "1d";

        @Option(name = "--ttl", description = "How long data is kept, e.g. 7d (default 7d)")
        private String ttl = "7d";

        @Override
        public Object execute() {
            Group created = registry.createGroup(Group.of(name, Catalog.MEASURE,
                    new ResourceOpts(shards, Durations.rule("--interval", interval), Durations.rule("--ttl", ttl))));
            System.out.println("Created group " + created.name() + " (revision " + created.modRevision() + ")");
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "group-list", description = "Lists the groups of the schema registry.")
    public static class ListGroups implements Action {

        @Reference
        private SchemaRegistry registry;

        @Override
        public Object execute() {
            ShellTable table = new ShellTable();
            table.column("Group");
            table.column("Shards");
            table.column("Interval");
            table.column("TTL");
            table.column("Revision");
            for (Group g : registry.listGroups()) {
                table.addRow().addContent(g.name(), g.resourceOpts().shardNum(), g.resourceOpts().segmentInterval(),
                        g.resourceOpts().ttl(), g.modRevision());
            }
            table.print(System.out);
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "group-update", description = "Changes a group's shard count, segment interval "
            + "num or TTL (the interval unit cannot change: segment directories are named by it).")
    public static class Update implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "name", required = true, description = "Group name")
        @Completion(GroupNameCompleter.class)
        private String name;

        @Option(name = "--shards", description = "Shards per segment")
        private Integer shards;

        @Option(name = "--interval", description = "Segment interval with the same unit, e.g. 2d")
        private String interval;

        @Option(name = "--ttl", description = "How long data is kept, e.g. 30d")
        private String ttl;

        @Override
        public Object execute() {
            Group current = registry.getGroup(name).orElseThrow(() -> new IllegalArgumentException("no group " + name));
            ResourceOpts opts = current.resourceOpts();
            ResourceOpts changed = new ResourceOpts(shards != null ? shards : opts.shardNum(),
                    interval != null ? Durations.rule("--interval", interval) : opts.segmentInterval(),
                    ttl != null ? Durations.rule("--ttl", ttl) : opts.ttl());
            Group updated = registry.updateGroup(Group.of(name, current.catalog(), changed));
            System.out.println("Updated group " + name + " (revision " + updated.modRevision() + ")");
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "group-delete", description = "Deletes a group from the schema (its measures first). "
            + "Its stored data stays on disk (creating the group again serves it again) unless --drop-data deletes it too.")
    public static class Delete implements Action {

        @Reference
        private SchemaRegistry registry;

        @Reference(optional = true)
        private StorageEngine storage;

        @Argument(index = 0, name = "name", required = true, description = "Group name")
        @Completion(GroupNameCompleter.class)
        private String name;

        @Option(name = "--drop-data", description = "Also delete the group's stored data, for good (also for a group "
                + "already deleted from the schema whose data was kept)")
        private boolean dropData;

        @Override
        public Object execute() {
            boolean existed = registry.deleteGroup(name);
            StorageEngine engine = NotReady.check(storage, "the storage engine is not running");
            Path dir = engine.dataRoot().resolve(name);
            boolean hasData = Files.isDirectory(dir);
            if (!existed && !(dropData && hasData)) {
                throw new IllegalArgumentException("no group " + name + (hasData ? " (its data is kept at " + dir
                        + "; --drop-data deletes it)" : ""));
            }
            if (dropData && hasData) {
                // The repository closed the group's database when the registry announced the delete.
                engine.drop(name);
                System.out.println((existed ? "Deleted group " + name + " and its data at " : "Deleted the data of group " + name
                        + " at ") + dir);
            } else if (hasData) {
                System.out.println("Deleted group " + name + " from the schema; its data stays at " + dir + ". Creating group "
                        + name + " again (same segment interval unit) serves it again; banyan:group-delete --drop-data " + name
                        + " deletes it.");
            } else {
                System.out.println("Deleted group " + name + " (it stored no data)");
            }
            return null;
        }
    }
}
