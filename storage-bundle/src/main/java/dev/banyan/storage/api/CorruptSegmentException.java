package dev.banyan.storage.api;

import java.nio.file.Path;

import dev.banyan.initerror.Permanent;

/**
 * [S10] A segment directory holds data the engine cannot vouch for (for example no readable
 * metadata). Permanent: the engine refuses to open rather than guess, and never deletes the data.
 */
public class CorruptSegmentException extends StorageException implements Permanent {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public CorruptSegmentException(Path path, String problem) {
        super(problem + ": " + path);
        this.path = path;
    }

    public Path path() {
        return path;
    }

    @Override
    public boolean isPermanent() {
        return true;
    }
}
