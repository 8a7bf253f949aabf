package dev.banyan.storage.api;

import java.nio.file.Path;
import java.util.List;

import dev.banyan.initerror.Permanent;

/**
 * [S4] A segment was written by a storage format version this engine cannot read. Permanent: no
 * retry helps; the operator must migrate or remove the segment, or run a compatible release.
 */
public class IncompatibleVersionException extends StorageException implements Permanent {

    private static final long serialVersionUID = 1L;

    private final String foundVersion;
    private final List<String> supportedVersions;
    private final transient Path segmentDirectory;

    public IncompatibleVersionException(String foundVersion, List<String> supportedVersions, Path segmentDirectory) {
        super("incompatible version " + foundVersion + ", supported versions: " + String.join(", ", supportedVersions)
                + ", segment: " + segmentDirectory);
        this.foundVersion = foundVersion;
        this.supportedVersions = List.copyOf(supportedVersions);
        this.segmentDirectory = segmentDirectory;
    }

    public String foundVersion() {
        return foundVersion;
    }

    public List<String> supportedVersions() {
        return supportedVersions;
    }

    public Path segmentDirectory() {
        return segmentDirectory;
    }

    @Override
    public boolean isPermanent() {
        return true;
    }
}
