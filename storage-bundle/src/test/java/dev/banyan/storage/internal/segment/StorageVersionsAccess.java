package dev.banyan.storage.internal.segment;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reaches the package-private loading entry points of {@link StorageVersions} from tests. */
public final class StorageVersionsAccess {

    private StorageVersionsAccess() {
    }

    public static List<String> bundled() {
        return StorageVersions.bundled().supported();
    }

    public static List<String> load(String resource) {
        return StorageVersions.load(StorageVersions.class, resource).supported();
    }

    public static List<String> parse(String yaml) {
        return StorageVersions.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yml").supported();
    }
}
