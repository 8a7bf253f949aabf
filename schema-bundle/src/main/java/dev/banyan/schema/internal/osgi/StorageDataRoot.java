package dev.banyan.schema.internal.osgi;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * [R2] One data root: the storage engine's data root, read from the engine's configuration (PID
 * {@value #STORAGE_PID}) as configuration only, since schema never imports storage. The embedded
 * registry keeps {@code schema.yaml} under it by default, so that setting {@code dataRoot} alone
 * moves everything Banyan stores, and a change of it (which re-activates this component) moves the
 * registry along with the data.
 */
@Component(service = StorageDataRoot.class, configurationPid = StorageDataRoot.STORAGE_PID)
public final class StorageDataRoot {

    static final String STORAGE_PID = "dev.banyan.storage";
    static final String REGISTRY_DIR = ".registry";

    /** The one property of the storage engine's configuration read here (its metatype is the engine's). */
    @interface Config {
        String dataRoot() default "";
    }

    private Path root;

    @Activate
    void activate(Config config) {
        root = resolve(config.dataRoot());
    }

    /** The default directory of the embedded registry: {@code <dataRoot>/.registry}. */
    Path registryDirectory() {
        return root.resolve(REGISTRY_DIR);
    }

    /** The data root as the engine resolves it: as configured, else {@code <karaf.data>/banyan} in Karaf, else {@code ./banyan-data}. */
    public static Path resolve(String dataRoot) {
        String karafData = System.getProperty("karaf.data");
        Path root = !dataRoot.isBlank() ? Path.of(dataRoot.strip())
                : karafData != null ? Path.of(karafData, "banyan") : Path.of("banyan-data");
        return root.toAbsolutePath().normalize();
    }
}
