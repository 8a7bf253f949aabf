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
