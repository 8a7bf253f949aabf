package dev.banyan.shell.internal;

import java.nio.file.Path;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.RegistryState;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.Readiness;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.SegmentProblem;
import dev.banyan.storage.api.StorageEngine;

/** banyan:status and banyan:check. */
public final class StatusCommands {

    private StatusCommands() {
    }

    @Service
    @Command(scope = "banyan", name = "status", description = "Shows every group on this node (SERVING, PORTABLE or FAILED "
            + "with the reason) and whether the node is ready; fails (non-zero exit of bin/client) unless it is ready.")
    public static class Status implements Action {

        @Reference(optional = true)
        private MeasureService measures;

        @Reference
        private SchemaRegistry registry;

        @Override
        public Object execute() {
            RegistryState registryState = registry.state();
            System.out.println("Schema registry: " + registryState.backend() + ", " + (registryState.current()
                    ? "current at revision " + registryState.revision()
                    : "STALE at revision " + registryState.revision() + ": " + registryState.detail()));
            NotReady.check(measures);
            ShellTable table = new ShellTable();
            table.column("Group");
            table.column("State");
            table.column("Measures");
            table.column("Reason");
            for (GroupStatus status : measures.status()) {
                table.addRow().addContent(status.group(), status.state(), status.measures(),
                        status.reason() == null ? "" : status.reason());
            }
            table.print(System.out);
            Readiness readiness = measures.readiness();
            if (!readiness.ready()) {
                // A failing command makes bin/client exit non-zero: scripts and probes can test readiness.
                throw new IllegalStateException("not ready: " + readiness.reason());
            }
            System.out.println("Ready: " + readiness.reason());
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "check", description = "Offline pre-flight of a data root, by the rules the server "
            + "opens it with: lists everything it would refuse (incompatible version, data without metadata, unknown or "
            + "misnamed files at any level, a segment naming zone it cannot determine, damaged part indexes or logs) and "
            + "fails if there is any. Reads only; safe beside a running server.")
    public static class Check implements Action {

        @Reference(optional = true)
        private StorageEngine engine;

        @Argument(index = 0, name = "data-root", description = "Data root to check (default: the server's own)")
        private String dataRoot;

        @Override
        public Object execute() {
            StorageEngine storage = NotReady.check(engine, "the storage engine is not running");
            Path root = dataRoot == null ? storage.dataRoot() : Path.of(dataRoot).toAbsolutePath().normalize();
            List<SegmentProblem> problems = storage.check(root);
            if (problems.isEmpty()) {
                System.out.println("OK: every segment under " + root + " can be opened by this release");
                return null;
            }
            ShellTable table = new ShellTable();
            table.column("Group");
            table.column("Segment");
            table.column("Problem");
            problems.forEach(p -> table.addRow().addContent(p.group(), p.segment(), p.problem()));
            table.print(System.out);
            // A failing command makes bin/client exit non-zero, which is what scripts test.
            throw new IllegalStateException(problems.size() + " problem(s) under " + root + " would stop the server");
        }
    }
}
