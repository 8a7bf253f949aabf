package dev.banyan.storage.api;

import java.nio.file.Path;

import dev.banyan.initerror.Permanent;

/**
 * [S10] A group's directory holds something the engine cannot vouch for: data without readable
 * metadata, an unknown or misnamed file or directory, a damaged part or log. Permanent (waiting
 * cannot repair a file): the engine refuses to open rather than guess, and never deletes the data.
 */
public class CorruptSegmentException extends StorageException implements Permanent {

    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String problem;

    /** @param path the file or directory at fault; the message is {@code <problem>: <path>} */
    public CorruptSegmentException(Path path, String problem) {
        super(problem + ": " + path);
        this.path = path;
        this.problem = problem;
    }

    /** The file or directory at fault. */
    public Path path() {
        return path;
    }

    /** What is wrong with {@link #path()}, without the path. */
    public String problem() {
        return problem;
    }

    @Override
    public boolean isPermanent() {
        return true;
    }
}
