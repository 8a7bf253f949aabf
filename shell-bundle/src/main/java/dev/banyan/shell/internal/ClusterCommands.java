package dev.banyan.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.banyan.schema.api.ClusterNode;
import dev.banyan.schema.api.NodeRegistry;

/** banyan:cluster. */
public final class ClusterCommands {

    private ClusterCommands() {
    }

    @Service
    @Command(scope = "banyan", name = "cluster", description = "Lists the live servers sharing this server's etcd schema "
            + "registry: id, address, readiness and the groups each serves (* marks this server).")
    public static class Cluster implements Action {

        /** Present only when the schema registry backend is etcd. */
        @Reference(optional = true)
        private NodeRegistry nodes;

        @Override
        public Object execute() {
            if (nodes == null) {
                throw new IllegalStateException("this server is not in a cluster: its schema registry is embedded "
                        + "(set backend = etcd in etc/dev.banyan.schema.registry.cfg to share one with other servers)");
            }
            ShellTable table = new ShellTable();
            table.column("Node");
            table.column("Address");
            table.column("Ready");
            table.column("Groups");
            table.column("Since");
            for (ClusterNode node : nodes.liveNodes()) {
                table.addRow().addContent((node.id().equals(nodes.selfId()) ? "* " : "  ") + node.id(), node.address(),
                        node.ready() ? "yes" : "no", String.join(",", node.groups()), node.startedAt());
            }
            table.print(System.out);
            return null;
        }
    }
}
