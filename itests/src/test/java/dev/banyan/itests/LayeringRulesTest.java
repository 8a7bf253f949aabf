package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** The layering checks can fail: each rule is fed a manifest that breaks it. */
public class LayeringRulesTest {

    @Test
    public void e6_leafImportingAnythingButJavaIsReported() {
        List<String> v = LayeringRules.check("dev.banyan.initerror",
                "java.lang,org.slf4j;version=\"[1.7,2)\"", "dev.banyan.initerror;version=\"1.0.0\"");
        assertEquals(1, v.size());
        assertTrue(v.get(0), v.get(0).contains("org.slf4j"));
    }

    @Test
    public void l3_schemaImportingStorageInternalsIsReported() {
        List<String> v = LayeringRules.check("dev.banyan.schema",
                "dev.banyan.storage.internal.segment;version=\"[0.1,1)\"", "");
        assertEquals(1, v.size());
        assertTrue(v.get(0), v.get(0).contains("[L3]") && v.get(0).contains("dev.banyan.storage.internal.segment"));
    }

    @Test
    public void l2_storageExportingMoreThanItsApiIsReported() {
        List<String> v = LayeringRules.check("dev.banyan.storage", "",
                "dev.banyan.storage.api;version=\"1.0.0\",dev.banyan.storage.engine;version=\"1.0.0\"");
        assertEquals(List.of("[L2] dev.banyan.storage must export only its API, but exports dev.banyan.storage.engine"), v);
    }

    @Test
    public void l4_projectImportWithoutRangeIsReported() {
        List<String> v = LayeringRules.check("dev.banyan.schema",
                "dev.banyan.initerror,dev.banyan.other;version=\"1.0\",java.util", "");
        assertEquals(2, v.size());
        assertTrue(v.get(0).contains("dev.banyan.initerror without a version range"));
        assertTrue(v.get(1).contains("dev.banyan.other without a version range"));
    }

    @Test
    public void wellFormedManifestsPass() {
        assertEquals(List.of(), LayeringRules.check("dev.banyan.schema",
                "dev.banyan.initerror;version=\"[1.0,2)\",org.slf4j;version=\"[1.7,2)\",java.util",
                "dev.banyan.schema.api;version=\"1.0.0\";uses:=\"dev.banyan.initerror\""));
    }

    @Test
    public void headerParserHandlesQuotedCommasAndSharedAttributes() {
        List<ManifestHeader.Clause> clauses = ManifestHeader.parse(
                "a;b;version=\"[1.0,2)\",c;uses:=\"x,y\";version=\"1.0.0\"");
        assertEquals(List.of("a", "b", "c"), clauses.stream().map(ManifestHeader.Clause::name).toList());
        assertEquals("[1.0,2)", clauses.get(1).attributes().get("version"));
        assertEquals("x,y", clauses.get(2).attributes().get("uses:"));
    }
}
