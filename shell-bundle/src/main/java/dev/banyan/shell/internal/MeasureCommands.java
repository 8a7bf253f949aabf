package dev.banyan.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.TagSpec;

/** banyan:measure-create, banyan:measure-update, banyan:measure-delete, banyan:measure-list. */
public final class MeasureCommands {

    private MeasureCommands() {
    }

    @Service
    @Command(scope = "banyan", name = "measure-create", description = "Declares a measure: its tags, numeric fields and entity.")
    public static class Create implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "group", required = true, description = "Group of the measure")
        @Completion(GroupNameCompleter.class)
        private String group;

        @Argument(index = 1, name = "name", required = true, description = "Measure name")
        private String name;

        @Option(name = "--tag", multiValued = true, required = true, description = "A tag as name:STRING or name:LONG (repeatable)")
        private List<String> tags;

        @Option(name = "--field", multiValued = true, required = true, description = "A field as name:DOUBLE or name:LONG (repeatable)")
        private List<String> fields;

        @Option(name = "--entity", required = true, description = "Comma-separated tags that identify a series, e.g. host")
        private String entity;

        @Override
        public Object execute() {
            Measure created = registry.createMeasure(new Measure(group, name, tagSpecs(tags), fieldSpecs(fields),
                    List.of(entity.split(",")), 0, 0));
            System.out.println("Created measure " + created.group() + "/" + created.name() + " (revision " + created.modRevision() + ")");
            return null;
        }

        static List<TagSpec> tagSpecs(List<String> tags) {
            List<TagSpec> specs = new ArrayList<>();
            for (String tag : tags) {
                String[] parts = split("--tag", tag);
                specs.add(new TagSpec(parts[0], TagSpec.TagType.valueOf(type("--tag", parts[1], "STRING", "LONG"))));
            }
            return specs;
        }

        static List<FieldSpec> fieldSpecs(List<String> fields) {
            List<FieldSpec> specs = new ArrayList<>();
            for (String field : fields) {
                String[] parts = split("--field", field);
                specs.add(new FieldSpec(parts[0], FieldSpec.FieldType.valueOf(type("--field", parts[1], "DOUBLE", "LONG"))));
            }
            return specs;
        }

        private static String[] split(String option, String spec) {
            String[] parts = spec.split(":", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException(option + ": expected name:TYPE, got '" + spec + "'");
            }
            return parts;
        }

        private static String type(String option, String given, String... allowed) {
            String upper = given.toUpperCase();
            if (!List.of(allowed).contains(upper)) {
                throw new IllegalArgumentException(option + ": type must be one of " + List.of(allowed) + ", got '" + given + "'");
            }
            return upper;
        }
    }

    @Service
    @Command(scope = "banyan", name = "measure-update", description = "Adds fields or tags to a measure; points written "
            + "before have the new fields absent. Existing fields, tags and the entity cannot change.")
    public static class Update implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "group", required = true, description = "Group of the measure")
        @Completion(GroupNameCompleter.class)
        private String group;

        @Argument(index = 1, name = "name", required = true, description = "Measure name")
        @Completion(MeasureNameCompleter.class)
        private String name;

        @Option(name = "--tag", multiValued = true, description = "A tag to add, as name:STRING or name:LONG (repeatable)")
        private List<String> tags = List.of();

        @Option(name = "--field", multiValued = true, description = "A field to add, as name:DOUBLE or name:LONG (repeatable)")
        private List<String> fields = List.of();

        @Override
        public Object execute() {
            Measure current = registry.getMeasure(group, name)
                    .orElseThrow(() -> new IllegalArgumentException("measure " + group + "/" + name + " does not exist"));
            List<TagSpec> tagSpecs = new ArrayList<>(current.tags());
            tagSpecs.addAll(Create.tagSpecs(tags));
            List<FieldSpec> fieldSpecs = new ArrayList<>(current.fields());
            fieldSpecs.addAll(Create.fieldSpecs(fields));
            Measure updated = registry.updateMeasure(new Measure(group, name, tagSpecs, fieldSpecs, current.entity(), 0, 0));
            System.out.println("Updated measure " + group + "/" + name + " (revision " + updated.modRevision() + ")");
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "measure-delete", description = "Deletes a measure from the schema. Its stored points "
            + "stay in the group's data until the group's data is dropped (banyan:group-delete --drop-data).")
    public static class Delete implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "group", required = true, description = "Group of the measure")
        @Completion(GroupNameCompleter.class)
        private String group;

        @Argument(index = 1, name = "name", required = true, description = "Measure name")
        @Completion(MeasureNameCompleter.class)
        private String name;

        @Override
        public Object execute() {
            if (!registry.deleteMeasure(group, name)) {
                throw new IllegalArgumentException("measure " + group + "/" + name + " does not exist");
            }
            System.out.println("Deleted measure " + group + "/" + name + " from the schema; its stored points stay in group "
                    + group + "'s data");
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "measure-list", description = "Lists the measures of a group.")
    public static class ListMeasures implements Action {

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "group", required = true, description = "Group")
        @Completion(GroupNameCompleter.class)
        private String group;

        @Override
        public Object execute() {
            ShellTable table = new ShellTable();
            table.column("Measure");
            table.column("Entity");
            table.column("Tags");
            table.column("Fields");
            for (Measure m : registry.listMeasures(group)) {
                table.addRow().addContent(m.name(), String.join(",", m.entity()),
                        String.join(",", m.tags().stream().map(t -> t.name() + ":" + t.type()).toList()),
                        String.join(",", m.fields().stream().map(f -> f.name() + ":" + f.type()).toList()));
            }
            table.print(System.out);
            return null;
        }
    }
}
