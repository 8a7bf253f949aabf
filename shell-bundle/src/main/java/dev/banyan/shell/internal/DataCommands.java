package dev.banyan.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.AggregateRow;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;

/** banyan:write and banyan:query. */
public final class DataCommands {

    /** Printed for a field a point lacks, or an aggregate of no values (docs/SEMANTICS.md). */
    static final String ABSENT = "-";

    private DataCommands() {
    }

    /**
     * Parses {@code name=value[,name=value...]} as an operator types it. A backslash takes the next
     * character literally, so {@code host=a\,b} is the value {@code a,b}; names and values are trimmed.
     *
     * @throws IllegalArgumentException naming the option and the pair when a pair has no name, or a name
     *         is given twice (never silently keeping one of the values)
     */
    static Map<String, String> pairs(String option, String text) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return map;
        }
        StringBuilder name = new StringBuilder();
        StringBuilder value = null;
        StringBuilder raw = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '\\' && i + 1 < text.length()) {
                char escaped = text.charAt(++i);
                (value == null ? name : value).append(escaped);
                raw.append(c).append(escaped);
            } else if (c == ',') {
                String key = name.toString().trim();
                if (value == null || key.isEmpty()) {
                    throw new IllegalArgumentException(option + ": expected name=value[,name=value...] (a backslash escapes "
                            + "',' '=' and '\\' in a value), got '" + raw + "'");
                }
                if (map.put(key, value.toString().trim()) != null) {
                    throw new IllegalArgumentException(option + ": '" + key + "' is given more than once");
                }
                name.setLength(0);
                value = null;
                raw.setLength(0);
            } else {
                if (c == '=' && value == null) {
                    value = new StringBuilder();
                } else {
                    (value == null ? name : value).append(c);
                }
                raw.append(c);
            }
        }
        return map;
    }

    /**
     * The aggregate columns in the order the operator asked for them: per field as the engine returns
     * them ({@code fn(field)}), and within a field in the order of {@code --agg}.
     */
    static List<String> aggregateColumns(List<String> columns, List<AggregateFunction> requested) {
        Map<String, List<String>> perField = new LinkedHashMap<>();
        for (String column : columns) {
            int open = column.indexOf('(');
            perField.computeIfAbsent(column.substring(open + 1, column.length() - 1), f -> new ArrayList<>()).add(column);
        }
        List<String> ordered = new ArrayList<>(columns.size());
        perField.forEach((field, present) -> requested.stream().map(fn -> fn.column(field)).filter(present::contains)
                .forEach(ordered::add));
        return ordered;
    }

    @Service
    @Command(scope = "banyan", name = "write", description = "Writes one point of a measure (validated against its schema).")
    public static class Write implements Action {

        @Reference(optional = true)
        private MeasureService measures;

        @Reference
        private SchemaRegistry registry;

        @Argument(index = 0, name = "group", required = true, description = "Group")
        @Completion(GroupNameCompleter.class)
        private String group;

        @Argument(index = 1, name = "measure", required = true, description = "Measure")
        @Completion(MeasureNameCompleter.class)
        private String measure;

        @Option(name = "--tags", required = true, description = "Tags as name=value,..., including every entity tag; "
                + "a backslash escapes ',' '=' and '\\' in a value")
        private String tags;

        @Option(name = "--fields", required = true, description = "Field values as name=value,...")
        private String fields;

        @Option(name = "--time", description = "Epoch milliseconds, 'now' (default) or an instant like 2024-01-01T12:00:00Z; "
                + "from 1970-01-01T00:00:00.001Z to 9999-12-31T23:59:59.999Z, at most the storage's maxFutureMinutes (default "
                + "2 days) ahead of the server clock and no older than the group's TTL")
        private String time = "now";

        @Override
        public Object execute() {
            Measure schema = registry.getMeasure(group, measure)
                    .orElseThrow(() -> new IllegalArgumentException(registry.getGroup(group).isEmpty()
                            ? "measure " + group + "/" + measure + ": group " + group + " does not exist (banyan:group-list)"
                            : "measure " + group + "/" + measure + " does not exist (banyan:measure-list " + group + ")"));
            Map<String, Number> values = new LinkedHashMap<>();
            for (Map.Entry<String, String> field : pairs("--fields", fields).entrySet()) {
                FieldSpec spec = schema.fields().stream().filter(f -> f.name().equals(field.getKey())).findFirst().orElse(null);
                try {
                    values.put(field.getKey(), spec != null && spec.type() == FieldSpec.FieldType.LONG
                            ? (Number) Long.parseLong(field.getValue()) : (Number) Double.parseDouble(field.getValue()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--fields: " + field.getKey() + "=" + field.getValue() + " is not a number");
                }
            }
            long ts = Durations.time("--time", time);
            NotReady.check(measures).write(group, measure, List.of(new DataPoint(ts, pairs("--tags", tags), values)));
            System.out.println("Wrote 1 point to " + group + "/" + measure + " at " + Instant.ofEpochMilli(ts));
            return null;
        }
    }

    @Service
    @Command(scope = "banyan", name = "query", description = "Reads a measure: raw points, or aggregates per series, per tag "
            + "group and per time bucket.")
    public static class QueryCommand implements Action {

        @Reference(optional = true)
        private MeasureService measures;

        @Argument(index = 0, name = "group", required = true, description = "Group")
        @Completion(GroupNameCompleter.class)
        private String group;

        @Argument(index = 1, name = "measure", required = true, description = "Measure")
        @Completion(MeasureNameCompleter.class)
        private String measure;

        @Option(name = "--from", description = "Start (inclusive): epoch ms, 'now' or an instant (default: 1 hour ago)")
        private String from;

        @Option(name = "--to", description = "End (exclusive): epoch ms, 'now' or an instant (default: now + 1 minute)")
        private String to;

        @Option(name = "--where", description = "Tag conditions as name=value,... (a backslash escapes ',' '=' and '\\')")
        private String where;

        @Option(name = "--fields", description = "Comma-separated fields (default: all)")
        private String fields;

        @Option(name = "--agg", description = "Comma-separated functions: count,sum,min,max,avg")
        private String agg;

        @Option(name = "--group-by", description = "Comma-separated tags to group by; empty string: one group (default: per series)")
        private String groupBy;

        @Option(name = "--bucket", description = "Time bucket such as 1m, 1h or 1d")
        private String bucket;

        @Option(name = "--limit", description = "Rows to print per series (default 100)")
        private int limit = 100;

        @Override
        public Object execute() {
            long end = to == null ? System.currentTimeMillis() + 60_000 : Durations.time("--to", to);
            long start = from == null ? end - 3_660_000 : Durations.time("--from", from);
            Query query = Query.of(measure, new TimeRange(start, end));
            for (Map.Entry<String, String> condition : pairs("--where", where).entrySet()) {
                query = query.where(condition.getKey(), condition.getValue());
            }
            if (fields != null) {
                query = query.fields(fields.split(","));
            }
            List<AggregateFunction> functions = new ArrayList<>();
            if (agg != null) {
                for (String fn : agg.split(",")) {
                    try {
                        AggregateFunction function = AggregateFunction.valueOf(fn.trim().toUpperCase());
                        if (functions.contains(function)) {
                            throw new IllegalArgumentException("--agg: '" + fn + "' is given more than once");
                        }
                        functions.add(function);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--agg: unknown function '" + fn + "', use count,sum,min,max,avg");
                    }
                }
                query = query.aggregate(functions.toArray(new AggregateFunction[0]));
                if (groupBy != null) {
                    query = query.groupBy(groupBy.isBlank() ? new String[0] : groupBy.split(","));
                }
                if (bucket != null) {
                    query = query.bucket(Durations.millis("--bucket", bucket));
                }
            }
            print(NotReady.check(measures).query(group, query), functions);
            return null;
        }

        private void print(QueryResult result, List<AggregateFunction> functions) {
            ShellTable table = new ShellTable();
            if (!result.rows().isEmpty()) {
                table.column("Group");
                table.column("Bucket");
                List<String> columns = aggregateColumns(new ArrayList<>(result.rows().get(0).values().keySet()), functions);
                columns.forEach(table::column);
                for (AggregateRow row : result.rows()) {
                    List<Object> cells = new ArrayList<>(List.of(row.group().toString(), Instant.ofEpochMilli(row.bucketStart()).toString()));
                    columns.forEach(c -> cells.add(row.values().get(c) == null ? ABSENT : row.values().get(c)));
                    table.addRow().addContent(cells);
                }
            } else {
                table.column("Series");
                table.column("Time");
                if (!result.series().isEmpty()) {
                    result.series().get(0).fields().forEach(f -> table.column(f.name()));
                }
                for (SeriesRows series : result.series()) {
                    for (int i = 0; i < Math.min(limit, series.size()); i++) {
                        List<Object> cells = new ArrayList<>(List.of(series.tags().toString(),
                                Instant.ofEpochMilli(series.timestamps()[i]).toString()));
                        for (var field : series.fields()) {
                            if (!series.isPresent(field.name(), i)) {
                                cells.add(ABSENT);
                            } else {
                                cells.add(field.type() == dev.banyan.storage.api.FieldType.LONG ? (Object) series.longValue(field.name(), i)
                                        : (Object) series.doubleValue(field.name(), i));
                            }
                        }
                        table.addRow().addContent(cells);
                    }
                }
            }
            table.print(System.out);
            long cut = result.series().stream().filter(series -> series.size() > limit).count();
            if (cut > 0) {
                System.out.println("Printed the first " + limit + " row(s) of each series; " + cut
                        + " series have more (raise --limit to see them)");
            }
        }
    }
}
