package dev.banyan.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.exam.Option;

/** The framework every in-Felix test starts: SCR, Config Admin, Metatype, SLF4J, SnakeYAML, the ANTLR runtime, Jackson and every project bundle. */
public final class FelixOptions {

    private FelixOptions() {
    }

    public static List<Option> base() {
        List<Option> options = new ArrayList<>();
        for (String key : List.of("org.ops4j.pax.url.mvn.localRepository", "org.ops4j.pax.url.mvn.repositories",
                "org.ops4j.pax.url.mvn.useFallbackRepositories", "banyan.reactor.dir", "banyan.project.version")) {
            String value = System.getProperty(key);
            if (value != null) {
                options.add(systemProperty(key).value(value));
            }
        }
        options.add(systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"));
        options.add(cleanCaches());
        options.add(junitBundles());
        options.add(mavenBundle("org.osgi", "org.osgi.util.function", version("osgi.function")));
        options.add(mavenBundle("org.osgi", "org.osgi.util.promise", version("osgi.promise")));
        options.add(mavenBundle("org.osgi", "org.osgi.service.component", version("osgi.component")));
        options.add(mavenBundle("org.apache.felix", "org.apache.felix.scr", version("felix.scr")));
        options.add(mavenBundle("org.apache.felix", "org.apache.felix.configadmin", version("felix.configadmin")));
        options.add(mavenBundle("org.apache.felix", "org.apache.felix.metatype", version("felix.metatype")));
        options.add(mavenBundle("org.slf4j", "slf4j-api", version("slf4j")));
        options.add(mavenBundle("org.slf4j", "slf4j-simple", version("slf4j")));
        options.add(mavenBundle("org.yaml", "snakeyaml", version("snakeyaml")));
        options.add(mavenBundle("org.antlr", "antlr4-runtime", version("antlr")));
        options.add(mavenBundle("com.fasterxml.jackson.core", "jackson-annotations", version("jackson.annotations")));
        options.add(mavenBundle("com.fasterxml.jackson.core", "jackson-core", version("jackson")));
        options.add(mavenBundle("com.fasterxml.jackson.core", "jackson-databind", version("jackson")));
        for (ReactorBundles.BuiltBundle built : ReactorBundles.forFelix()) {
            // file: URLs of this build's jars, never possibly stale SNAPSHOTs from the local repository.
            options.add(bundle(built.jar().toUri().toString()));
        }
        return options;
    }

    private static String version(String name) {
        String value = System.getProperty("version." + name);
        if (value == null) {
            throw new IllegalStateException("version." + name + " is not set: run the tests through Maven");
        }
        return value;
    }
}
