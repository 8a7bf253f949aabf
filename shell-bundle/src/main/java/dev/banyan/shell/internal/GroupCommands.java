package dev.banyan.shell.internal;

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

/** banyan:group-create, banyan:group-list, banyan:group-delete. */
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
    @Command(scope = "banyan", name = "group-delete", description = "Deletes a group from the schema (its measures first). "
            + "Stored data stays on disk until removed by the operator.")
    public static class Delete implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "name", required = true, description = "Group name")
        @Completion(GroupNameCompleter.class)
        private String name;

        @Override
        public Object execute() {
            if (!registry.deleteGroup(name)) {
                throw new IllegalArgumentException("no group " + name);
            }
            System.out.println("Deleted group " + name);
            return null;
        }
    }
}
