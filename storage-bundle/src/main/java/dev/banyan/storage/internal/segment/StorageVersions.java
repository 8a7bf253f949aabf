package dev.banyan.storage.internal.segment;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.banyan.storage.api.IncompatibleVersionException;
import dev.banyan.storage.api.StorageException;

/** [S3][S4] The storage format versions this engine reads, from {@code versions.yml} in the bundle. */
public final class StorageVersions {

    /** The version this engine stamps on the segments it creates. */
    public static final String CURRENT = "1.5.0";
    static final String RESOURCE = "/versions.yml";

    private final List<String> supported;

    StorageVersions(List<String> supported) {
        if (!supported.contains(CURRENT)) {
            throw new StorageException("versions.yml must list the version this engine writes (" + CURRENT
                    + "), found " + supported);
        }
        this.supported = List.copyOf(supported);
    }

    /** Loads the file packaged with the engine; a missing or broken file is an error naming it. */
    public static StorageVersions bundled() {
        return load(StorageVersions.class, RESOURCE);
    }

    static StorageVersions load(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StorageException("the storage bundle has no " + resource + ": cannot tell which versions it reads");
            }
            return parse(in, resource);
        } catch (IOException e) {
            throw new StorageException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    static StorageVersions parse(InputStream in, String source) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (RuntimeException e) {
            throw new StorageException("cannot parse " + source + ": " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> map) || !(map.get("versions") instanceof List<?> list) || list.isEmpty()) {
            throw new StorageException("cannot parse " + source + ": expected 'versions: [x.y.z, ...]'");
        }
        return new StorageVersions(list.stream().map(String::valueOf).toList());
    }

    public List<String> supported() {
        return supported;
    }

    /** [S4] Throws the permanent version error unless {@code version} is supported. */
    public void check(String version, Path segmentDir) {
        if (!supported.contains(version)) {
            throw new IncompatibleVersionException(version, supported, segmentDir);
        }
    }
}
