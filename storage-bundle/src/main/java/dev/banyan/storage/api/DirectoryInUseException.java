package dev.banyan.storage.api;

import java.nio.file.Path;

/**
 * [S6] The group directory is locked by another process or by another open database in this JVM.
 * Transient: it goes away when the holder closes (for example once a bundle update finishes).
 */
public class DirectoryInUseException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final transient Path lockFile;

    public DirectoryInUseException(Path lockFile, String holder) {
        super("cannot lock " + lockFile + ": the directory is in use by " + holder);
        this.lockFile = lockFile;
    }

    public Path lockFile() {
        return lockFile;
    }
}
