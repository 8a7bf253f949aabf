package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.Test;

import dev.banyan.itests.ReactorBundles.BuiltBundle;

/** [L1]-[L4] over the manifests of the bundles this build produced. */
public class ManifestLayeringTest {

    @Test
    public void everyProjectBundleRespectsTheLayering() {
        List<BuiltBundle> bundles = ReactorBundles.all();
        List<String> violations = new ArrayList<>();
        for (BuiltBundle bundle : bundles) {
            violations.addAll(LayeringRules.check(bundle.symbolicName(),
                    bundle.header("Import-Package"), bundle.header("Export-Package")));
        }
        assertEquals("layering violations:\n" + String.join("\n", violations), List.of(), violations);
    }

    @Test
    public void theCoreBundlesAreAmongThoseChecked() {
        Set<String> names = ReactorBundles.all().stream().map(BuiltBundle::symbolicName).collect(Collectors.toSet());
        assertTrue("found " + names, names.containsAll(Set.of("dev.banyan.initerror", "dev.banyan.storage", "dev.banyan.schema")));
    }

    @Test
    public void l2_storageExportsItsVersionedApi() {
        BuiltBundle storage = ReactorBundles.all().stream()
                .filter(b -> "dev.banyan.storage".equals(b.symbolicName())).findFirst().orElseThrow();
        List<String> exported = ManifestHeader.parse(storage.header("Export-Package")).stream()
                .map(ManifestHeader.Clause::name).toList();
        assertEquals(List.of("dev.banyan.storage.api"), exported);
    }
}
