package dev.banyan.itests;

import java.util.ArrayList;
import java.util.List;

import dev.banyan.itests.ManifestHeader.Clause;

/**
 * The layering contract [L1]-[L4] as checks over one bundle's manifest headers. Each violation is
 * returned as a sentence naming the bundle and the offending package.
 */
public final class LayeringRules {

    static final String PROJECT_PREFIX = "dev.banyan.";

    private LayeringRules() {
    }

    public static List<String> check(String symbolicName, String importHeader, String exportHeader) {
        List<String> violations = new ArrayList<>();
        List<Clause> imports = ManifestHeader.parse(importHeader);
        List<Clause> exports = ManifestHeader.parse(exportHeader);

        for (Clause imported : imports) {
            String pkg = imported.name();
            if (symbolicName.equals("dev.banyan.initerror") && !pkg.startsWith("java.")) {
                violations.add("[E6/L1] " + symbolicName + " is a leaf and must import only java.*, but imports " + pkg);
            }
            if (pkg.startsWith("dev.banyan.storage.internal")) {
                violations.add("[L3] " + symbolicName + " imports storage internals: " + pkg);
            } else if (pkg.startsWith(PROJECT_PREFIX) && pkg.contains(".internal")) {
                violations.add("[L2] " + symbolicName + " imports the private package " + pkg);
            }
            if (pkg.startsWith(PROJECT_PREFIX) && !isRange(imported.attributes().get("version"))) {
                violations.add("[L4] " + symbolicName + " imports " + pkg + " without a version range");
            }
        }
        for (Clause exported : exports) {
            String pkg = exported.name();
            if (symbolicName.equals("dev.banyan.storage") && !pkg.equals("dev.banyan.storage.api")
                    && !pkg.startsWith("dev.banyan.storage.api.")) {
                violations.add("[L2] " + symbolicName + " must export only its API, but exports " + pkg);
            }
            if (pkg.contains(".internal")) {
                violations.add("[L2] " + symbolicName + " exports the private package " + pkg);
            }
            if (exported.attributes().get("version") == null) {
                violations.add("[L4] " + symbolicName + " exports " + pkg + " without a version");
            }
        }
        return violations;
    }

    private static boolean isRange(String version) {
        return version != null && (version.startsWith("[") || version.startsWith("(")) && version.contains(",");
    }
}
