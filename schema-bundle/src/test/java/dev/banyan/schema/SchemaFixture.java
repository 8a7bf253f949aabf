package dev.banyan.schema;

import java.util.List;

import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.TagSpec;

public final class SchemaFixture {

    private SchemaFixture() {
    }

    public static Group group(String name) {
        return Group.of(name, Catalog.MEASURE, new ResourceOpts(2, IntervalRule.days(1), IntervalRule.days(7)));
    }

    public static Measure cpu(String group) {
        return new Measure(group, "cpu",
                List.of(new TagSpec("host", TagSpec.TagType.STRING), new TagSpec("region", TagSpec.TagType.STRING)),
                List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0);
    }

    /** A measure shaped like {@link #cpu} named {@code name}. */
    public static Measure measure(String group, String name) {
        Measure cpu = cpu(group);
        return new Measure(group, name, cpu.tags(), cpu.fields(), cpu.entity(), 0, 0);
    }
}
