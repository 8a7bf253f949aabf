package dev.banyan.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaRegistry;

/** Completes measure names, from every group of the registry. */
@Service
public class MeasureNameCompleter implements Completer {

    @Reference
    private SchemaRegistry registry;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        List<String> names = registry.listGroups().stream().map(Group::name)
                .flatMap(group -> registry.listMeasures(group).stream()).map(Measure::name).distinct().sorted().toList();
        return new StringsCompleter(names).complete(session, commandLine, candidates);
    }
}
