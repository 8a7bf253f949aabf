package dev.banyan.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.SchemaRegistry;

/** Completes group names from the registry. */
@Service
public class GroupNameCompleter implements Completer {

    @Reference
    private SchemaRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter(registry.listGroups().stream().map(Group::name).toList());
        return names.complete(session, commandLine, candidates);
    }
}
