package dev.banyan.schema;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.schema.api.TagSpec.TagType;

/** [R1] Each rejection names the object and the field. */
public class ModelValidationTest {

    private static final ResourceOpts OPTS = new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(3));

    @Test
    public void r1_namesThatCannotBeDirectoriesAreRejected() {
        for (String bad : new String[] {"../x", "a/b", "", ".", "..", "-lead", "x".repeat(65), "sp ace"}) {
            expect(() -> Group.of(bad, Catalog.MEASURE, OPTS), "group '" + bad + "': field 'name': '" + bad
                    + "' is not a valid name: use 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        Group.of("x".repeat(64), Catalog.MEASURE, OPTS);
        Group.of("sw_metrics-1", Catalog.MEASURE, OPTS);
    }

    /** Measure, tag and field names never become paths: they take the identifiers of Prometheus and InfluxDB. */
    @Test
    public void r1_measureTagAndFieldNamesTakeProtocolIdentifiers() {
        List<FieldSpec> value = List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE));
        String longMetric = "apiserver_flowcontrol_priority_level_request_count_watermarks_bucket_" + "x".repeat(100);
        for (String metric : new String[] {"job:http_requests:rate5m", "_private", ":leading_colon", longMetric, "cpu.load"}) {
            for (String label : new String[] {"_tmp", "__meta_instance", "dotted.key", "x".repeat(255)}) {
                new Measure("g", metric, List.of(new TagSpec(label, TagType.STRING)), value, List.of(label), 0, 0);
            }
        }
        for (String bad : new String[] {"", "-lead", ".lead", "a/b", "sp ace", "x".repeat(256), "quote\"", "a=b"}) {
            expect(() -> new Measure("g", bad, List.of(new TagSpec("host", TagType.STRING)), value, List.of("host"), 0, 0),
                    "measure 'g/" + bad + "': field 'name': '" + bad + "' is not a valid measure name: use 1-255 letters, "
                            + "digits, '_', ':', '.' or '-', not starting with '.' or '-'");
        }
        for (String bad : new String[] {"", "-lead", "a:b", "a/b", "x".repeat(256), "a,b"}) {
            expect(() -> new Measure("g", "cpu", List.of(new TagSpec(bad, TagType.STRING)), value, List.of(bad), 0, 0),
                    "measure g/cpu: field 'tags': '" + bad + "' is not a valid tag or field name: use 1-255 letters, "
                            + "digits, '_', '.' or '-', not starting with '.' or '-'");
            expect(() -> new Measure("g", "cpu", List.of(new TagSpec("host", TagType.STRING)),
                    List.of(new FieldSpec(bad, FieldSpec.FieldType.LONG)), List.of("host"), 0, 0),
                    "measure g/cpu: field 'fields': '" + bad + "' is not a valid tag or field name: use 1-255 letters, "
                            + "digits, '_', '.' or '-', not starting with '.' or '-'");
        }
    }

    @Test
    public void r1_resourceOptionsAreChecked() {
        expect(() -> Group.of("g", Catalog.MEASURE, new ResourceOpts(0, IntervalRule.days(1), IntervalRule.days(1))),
                "group g: field 'shardNum': must be positive, got 0");
        expect(() -> Group.of("g", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.hours(0), IntervalRule.days(1))),
                "group g: field 'segmentInterval': num must be positive, got 0");
        expect(() -> Group.of("g", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), new IntervalRule(null, 3))),
                "group g: field 'ttl': unit is missing (HOUR or DAY)");
        expect(() -> Group.of("g", null, OPTS), "group g: field 'catalog': is missing");
    }

    @Test
    public void r1_measureTagsFieldsAndEntityAreChecked() {
        List<TagSpec> tags = List.of(new TagSpec("host", TagType.STRING));
        List<FieldSpec> fields = List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE));
        expect(() -> new Measure("g", "cpu", tags, fields, List.of("hostx"), 0, 0),
                "measure g/cpu: field 'entity': tag 'hostx' is not declared in tags");
        expect(() -> new Measure("g", "cpu", List.of(new TagSpec("host", TagType.STRING), new TagSpec("host", TagType.LONG)),
                fields, List.of("host"), 0, 0), "measure g/cpu: field 'tags': duplicate name 'host'");
        expect(() -> new Measure("g", "cpu", tags, List.of(new FieldSpec("host", FieldSpec.FieldType.LONG)), List.of("host"), 0, 0),
                "measure g/cpu: field 'fields': duplicate name 'host'");
        expect(() -> new Measure("g", "cpu", tags, fields, List.of(), 0, 0),
                "measure g/cpu: field 'entity': name at least one tag that identifies a series");
        expect(() -> new Measure("g", "cpu", tags, List.of(), List.of("host"), 0, 0),
                "measure g/cpu: field 'fields': a measure needs at least one field");
        expect(() -> new Measure("../g", "cpu", tags, fields, List.of("host"), 0, 0),
                "measure '../g/cpu': field 'group': '../g' is not a valid name: use 1-64 letters, digits, '_' or '-', "
                        + "starting with a letter or digit");
    }

    private static void expect(Runnable action, String message) {
        try {
            action.run();
            fail("expected: " + message);
        } catch (InvalidSchemaException e) {
            assertEquals(message, e.getMessage());
        }
    }
}
