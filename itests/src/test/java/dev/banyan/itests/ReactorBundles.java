package dev.banyan.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The project bundles the reactor has built: every module directory with a {@code bnd.bnd} must
 * have produced {@code target/<module>-<version>.jar}. New bundle modules are picked up without
 * editing any test.
 */
public final class ReactorBundles {

    public record BuiltBundle(String module, Path jar, Manifest manifest) {
        public String symbolicName() {
            String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null ? null : bsn.split(";")[0].trim();
        }

        public String header(String name) {
            return manifest.getMainAttributes().getValue(name);
        }
    }

    private ReactorBundles() {
    }

    /**
     * The bundles that run in plain Felix: all but those needing Karaf (they declare
     * {@code Karaf-Commands}) or an OSGi HTTP Whiteboard (they require {@code osgi.implementation=osgi.http}:
     * Karaf's Pax Web provides it; the Karaf tests run them).
     */
    public static List<BuiltBundle> forFelix() {
        return all().stream().filter(b -> b.header("Karaf-Commands") == null)
                .filter(b -> b.header("Require-Capability") == null || !b.header("Require-Capability").contains("osgi.implementation=osgi.http"))
                .toList();
    }

    public static Path reactorDir() {
        return Paths.get(System.getProperty("banyan.reactor.dir", "..")).toAbsolutePath().normalize();
    }

    public static List<BuiltBundle> all() {
        String version = System.getProperty("banyan.project.version");
        if (version == null) {
            throw new IllegalStateException("banyan.project.version is not set: run the tests through Maven");
        }
        List<BuiltBundle> bundles = new ArrayList<>();
        try (Stream<Path> modules = Files.list(reactorDir())) {
            for (Path module : modules.sorted().toList()) {
                if (!Files.isRegularFile(module.resolve("bnd.bnd"))) {
                    continue;
                }
                String name = module.getFileName().toString();
                Path jar = module.resolve("target").resolve(name + "-" + version + ".jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("bundle module " + name + " has no built jar " + jar
                            + ": build the reactor (mvn verify) before these tests");
                }
                try (JarFile file = new JarFile(jar.toFile())) {
                    bundles.add(new BuiltBundle(name, jar, file.getManifest()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bundles;
    }
}
