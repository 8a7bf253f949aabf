package dev.banyan.schema.internal.registry;

import static dev.banyan.schema.SchemaFixture.cpu;
import static dev.banyan.schema.SchemaFixture.group;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.TagSpec;

/**
 * [S15][R11] The registry never accepts a change stored data cannot honour: it refuses it before
 * committing, naming the object and the field; additive changes are accepted.
 */
public class SchemaEvolutionTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private EmbeddedRegistry registry() {
        return new EmbeddedRegistry(tmp.getRoot().toPath(), new FakeClock(), EmbeddedRegistry.DEFAULT_ONINIT_TIMEOUT);
    }

    @Test
    public void s15_changingTheSegmentIntervalUnitIsRefusedNamingGroupAndField() {
        EmbeddedRegistry registry = registry();
        registry.createGroup(group("g1"));
        assertRefused(() -> registry.updateGroup(Group.of("g1", group("g1").catalog(),
                new ResourceOpts(2, IntervalRule.hours(1), IntervalRule.days(7)))), "group g1: field 'segmentInterval': the unit cannot change from DAY to HOUR");
        assertEquals("nothing committed", 1, registry.revision());
        assertEquals(IntervalRule.days(1), registry.getGroup("g1").orElseThrow().resourceOpts().segmentInterval());
    }

    @Test
    public void s15_shardsIntervalNumAndTtlMayChange() {
        EmbeddedRegistry registry = registry();
        registry.createGroup(group("g1"));
        Group changed = registry.updateGroup(Group.of("g1", group("g1").catalog(),
                new ResourceOpts(3, IntervalRule.days(2), IntervalRule.days(30))));
        assertEquals(2, changed.modRevision());
    }

    @Test
    public void r11_fieldsMayBeAppendedAndTagsAdded() {
        EmbeddedRegistry registry = registry();
        registry.createGroup(group("g1"));
        Measure cpu = registry.createMeasure(cpu("g1"));
        List<FieldSpec> fields = new ArrayList<>(cpu.fields());
        fields.add(new FieldSpec("extra", FieldSpec.FieldType.DOUBLE));
        List<TagSpec> tags = new ArrayList<>(cpu.tags());
        tags.add(new TagSpec("rack", TagSpec.TagType.STRING));
        Measure grown = registry.updateMeasure(new Measure("g1", "cpu", tags, fields, cpu.entity(), 0, 0));
        assertEquals(List.of("value", "extra"), grown.fields().stream().map(FieldSpec::name).toList());
    }

    @Test
    public void r11_existingFieldsCannotBeRetypedRemovedOrReordered() {
        EmbeddedRegistry registry = registry();
        registry.createGroup(group("g1"));
        Measure cpu = registry.createMeasure(cpu("g1"));
        assertRefused(() -> registry.updateMeasure(withFields(cpu, new FieldSpec("value", FieldSpec.FieldType.LONG))),
                "measure g1/cpu: field 'fields': 'value' cannot change type from DOUBLE to LONG");
        assertRefused(() -> registry.updateMeasure(withFields(cpu, new FieldSpec("other", FieldSpec.FieldType.DOUBLE))),
                "measure g1/cpu: field 'fields': 'value' must stay at position 1");
        assertRefused(() -> registry.updateMeasure(withFields(cpu, new FieldSpec("extra", FieldSpec.FieldType.DOUBLE),
                new FieldSpec("value", FieldSpec.FieldType.DOUBLE))), "measure g1/cpu: field 'fields': 'value' must stay at position 1");
        assertRefused(() -> registry.updateMeasure(new Measure("g1", "cpu", cpu.tags(), cpu.fields(), List.of("region"), 0, 0)),
                "measure g1/cpu: field 'entity': cannot change from [host] to [region]");
        assertRefused(() -> registry.updateMeasure(new Measure("g1", "cpu", List.of(new TagSpec("host", TagSpec.TagType.LONG),
                new TagSpec("region", TagSpec.TagType.STRING)), cpu.fields(), cpu.entity(), 0, 0)),
                "measure g1/cpu: field 'tags': tag 'host' cannot change type from STRING to LONG");
        assertEquals("nothing committed", cpu.modRevision(), registry.revision());
    }

    @Test
    public void r11_aHandlerRefusesAChangeBeforeAnythingIsStoredOrAnnounced() {
        EmbeddedRegistry registry = registry();
        List<String> heard = new ArrayList<>();
        registry.registerHandler("storage", EnumSet.of(Kind.GROUP), new SchemaEventHandler() {
            @Override
            public void validate(SchemaEvent proposed) {
                if (proposed.object() instanceof Group g && g.resourceOpts().segmentInterval().unit() == dev.banyan.schema.api.IntervalUnit.HOUR) {
                    throw new InvalidSchemaException(g.describe(), "segmentInterval", "unit HOUR does not match the stored data");
                }
            }

            @Override
            public void onEvent(SchemaEvent event) {
                heard.add(event.type() + " " + event.object().describe());
            }

            @Override
            public void onInit(Set<Kind> kinds) {
            }
        });
        assertRefused(() -> registry.createGroup(Group.of("g2", group("g2").catalog(),
                new ResourceOpts(1, IntervalRule.hours(1), IntervalRule.days(1)))), "group g2: field 'segmentInterval': unit HOUR does not match the stored data");
        assertTrue("not stored", registry.getGroup("g2").isEmpty());
        assertEquals("not announced", List.of(), heard);
        assertTrue("not persisted", registry().getGroup("g2").isEmpty());
    }

    private static Measure withFields(Measure m, FieldSpec... fields) {
        return new Measure(m.group(), m.name(), m.tags(), List.of(fields), m.entity(), 0, 0);
    }

    private static void assertRefused(Runnable change, String message) {
        try {
            change.run();
            fail("accepted; expected: " + message);
        } catch (InvalidSchemaException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(message));
        }
    }
}
