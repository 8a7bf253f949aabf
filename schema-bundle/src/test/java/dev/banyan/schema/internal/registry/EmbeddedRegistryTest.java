package dev.banyan.schema.internal.registry;

import static dev.banyan.schema.SchemaFixture.cpu;
import static dev.banyan.schema.SchemaFixture.group;
import static dev.banyan.schema.SchemaFixture.measure;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.SchemaException;

/** [R2] Persistence, revisions and notifications of the embedded registry. */
public class EmbeddedRegistryTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private EmbeddedRegistry open() {
        return new EmbeddedRegistry(tmp.getRoot().toPath().resolve(".registry"), new FakeClock(),
                EmbeddedRegistry.DEFAULT_ONINIT_TIMEOUT);
    }

    @Test
    public void r2_revisionsIncreaseAndSurviveRestart() {
        EmbeddedRegistry registry = open();
        Group g1 = registry.createGroup(group("g1"));
        Measure m = registry.createMeasure(cpu("g1"));
        Group g1v2 = registry.updateGroup(new Group("g1", g1.catalog(),
                new ResourceOpts(4, IntervalRule.days(1), IntervalRule.days(30)), 0, 0));
        assertEquals(1, g1.createRevision());
        assertEquals(2, m.createRevision());
        assertEquals(1, g1v2.createRevision());
        assertEquals(3, g1v2.modRevision());
        assertTrue(registry.deleteMeasure("g1", "cpu"));
        assertEquals(4, registry.revision());

        EmbeddedRegistry reopened = open();
        assertEquals(4, reopened.revision());
        assertEquals(List.of(g1v2), reopened.listGroups());
        assertTrue(reopened.getMeasure("g1", "cpu").isEmpty());
        assertEquals("revisions keep increasing after restart", 5, reopened.createGroup(group("g2")).createRevision());
    }

    /** Many new measures in one change: one file write, a revision each, handlers told in order, existing ones left. */
    @Test
    public void r2_createMeasuresIfAbsent_createsTheMissingOnesInOneChangeWithARevisionEach() {
        EmbeddedRegistry registry = open();
        List<String> heard = new ArrayList<>();
        registry.registerHandler("recorder", EnumSet.allOf(Kind.class),
                event -> heard.add(event.type() + " " + event.object().describe() + " @" + event.revision()));
        registry.createGroup(group("g1"));
        Measure existing = registry.createMeasure(measure("g1", "m0"));
        List<Measure> wanted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            wanted.add(measure("g1", "m" + i));
        }
        List<Measure> created = registry.createMeasuresIfAbsent(wanted);
        assertEquals(199, created.size());
        assertEquals("m1", created.get(0).name());
        assertEquals(3, created.get(0).createRevision());
        assertEquals(201, created.get(198).modRevision());
        assertEquals(201, registry.revision());
        assertEquals(existing, registry.getMeasure("g1", "m0").orElseThrow());
        assertEquals(201, heard.size());
        assertEquals("ADD measure g1/m1 @3", heard.get(2));
        assertEquals("ADD measure g1/m199 @201", heard.get(200));
        EmbeddedRegistry reopened = open();
        assertEquals(201, reopened.revision());
        assertEquals(200, reopened.listMeasures("g1").size());
        assertEquals(created.get(198), reopened.getMeasure("g1", "m199").orElseThrow());
        assertEquals("nothing left to create", List.of(), registry.createMeasuresIfAbsent(wanted));
    }

    /** A list naming a group that does not exist creates nothing, not even the measures of existing groups. */
    @Test
    public void r2_createMeasuresIfAbsent_withAMissingGroupCreatesNothing() {
        EmbeddedRegistry registry = open();
        registry.createGroup(group("g1"));
        try {
            registry.createMeasuresIfAbsent(List.of(measure("g1", "a"), measure("nosuch", "b")));
            fail("a missing group is refused");
        } catch (SchemaException e) {
            assertEquals("measure nosuch/b: group nosuch does not exist", e.getMessage());
        }
        assertEquals(List.of(), registry.listMeasures("g1"));
        assertEquals(1, open().revision());
    }

    @Test
    public void r2_measuresSurviveRestartExactly() {
        EmbeddedRegistry registry = open();
        registry.createGroup(group("g1"));
        Measure created = registry.createMeasure(cpu("g1"));
        assertEquals(created, open().getMeasure("g1", "cpu").orElseThrow());
    }

    @Test
    public void r2_handlersHearAddUpdateDeleteInOrder() {
        EmbeddedRegistry registry = open();
        List<String> heard = new ArrayList<>();
        registry.registerHandler("recorder", EnumSet.allOf(Kind.class),
                event -> heard.add(event.type() + " " + event.object().describe() + " @" + event.revision()));
        registry.createGroup(group("g1"));
        registry.createMeasure(cpu("g1"));
        registry.updateMeasure(cpu("g1"));
        registry.deleteMeasure("g1", "cpu");
        registry.deleteGroup("g1");
        assertEquals(List.of("ADD group g1 @1", "ADD measure g1/cpu @2", "UPDATE measure g1/cpu @3",
                "DELETE measure g1/cpu @4", "DELETE group g1 @5"), heard);
    }

    @Test
    public void r2_conflictsAreRefusedAndNothingIsSilentlyDeleted() {
        EmbeddedRegistry registry = open();
        registry.createGroup(group("g1"));
        registry.createMeasure(cpu("g1"));
        expect(() -> registry.createGroup(group("g1")), "group g1 already exists");
        expect(() -> registry.createMeasure(cpu("nogroup")), "measure nogroup/cpu: group nogroup does not exist");
        expect(() -> registry.deleteGroup("g1"), "group g1 still has measures [cpu]: delete them first");
        expect(() -> registry.updateGroup(group("g9")), "group g9 does not exist");
        assertEquals(2, registry.revision());
    }

    /** A revision-checked update applies only over the revision its caller read; a stale one changes nothing. */
    @Test
    public void r2_revisionCheckedUpdateRefusesAStaleRevision() {
        EmbeddedRegistry registry = open();
        registry.createGroup(group("g1"));
        Measure read = registry.createMeasure(cpu("g1"));
        Measure first = registry.updateMeasure(withTag(read, "zone"), read.modRevision());
        assertEquals(read.modRevision() + 1, first.modRevision());
        expect(() -> registry.updateMeasure(withTag(read, "rack"), read.modRevision()),
                "measure g1/cpu is at revision 3, not 2: re-read it and apply the change again");
        assertEquals("the stale writer lost nothing of the first change", first, registry.getMeasure("g1", "cpu").orElseThrow());
        assertEquals(3, registry.revision());
        Measure second = registry.updateMeasure(withTag(first, "rack"), first.modRevision());
        assertEquals(List.of("host", "region", "zone", "rack"), second.tags().stream().map(t -> t.name()).toList());
        expect(() -> registry.updateMeasure(cpu("g1").withRevisions(0, 0), 99),
                "measure g1/cpu is at revision 4, not 99: re-read it and apply the change again");
        expect(() -> registry.updateMeasure(cpu("g2"), 1), "measure g2/cpu does not exist");
    }

    private static Measure withTag(Measure m, String tag) {
        List<dev.banyan.schema.api.TagSpec> tags = new ArrayList<>(m.tags());
        tags.add(new dev.banyan.schema.api.TagSpec(tag, dev.banyan.schema.api.TagSpec.TagType.STRING));
        return new Measure(m.group(), m.name(), tags, m.fields(), m.entity(), m.createRevision(), m.modRevision());
    }

    @Test
    public void r1_invalidNameIsRejectedAndCreatesNothingOnDisk() throws Exception {
        EmbeddedRegistry registry = open();
        try {
            registry.createGroup(group("../x"));
            fail("invalid name");
        } catch (InvalidSchemaException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("group '../x': field 'name'"));
        }
        assertFalse(Files.exists(registry.file()));
        try (var all = Files.walk(tmp.getRoot().toPath())) {
            assertEquals("only the temp root itself", 1, all.count());
        }
        assertFalse(Files.exists(tmp.getRoot().toPath().getParent().resolve("x")));
    }

    @Test
    public void r2_fileIsHumanReadableYamlAndABrokenFileIsNamed() throws Exception {
        EmbeddedRegistry registry = open();
        registry.createGroup(group("g1"));
        String yaml = Files.readString(registry.file());
        assertTrue(yaml, yaml.contains("revision: 1"));
        assertTrue(yaml, yaml.contains("name: g1"));
        assertTrue(yaml, yaml.contains("unit: DAY"));
        Path file = registry.file();
        Files.writeString(file, yaml.replace("shardNum: 2", "shardNum: 0"));
        try {
            open();
            fail("broken file");
        } catch (SchemaException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("invalid schema registry " + file));
            assertTrue(e.getMessage(), e.getMessage().contains("group g1: field 'shardNum': must be positive, got 0"));
        }
    }

    private static void expect(Runnable action, String message) {
        try {
            action.run();
            fail("expected: " + message);
        } catch (SchemaException e) {
            assertEquals(message, e.getMessage());
        }
    }

}
