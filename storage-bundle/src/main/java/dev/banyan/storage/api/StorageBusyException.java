package dev.banyan.storage.api;

/**
 * [S18] The engine cannot take a write right now and wrote nothing of it: every memtable together
 * has reached the configured memory budget ({@code memtableBudgetMB} of PID
 * {@code dev.banyan.storage}) and flushing did not free room within the write stall timeout, for
 * example because flushes are slower than ingest or are failing (see {@link Tsdb#health()}).
 * Transient: retry the same batch later (a network door answers 503 or 429).
 */
public class StorageBusyException extends StorageException {

    private static final long serialVersionUID = 1L;

    public StorageBusyException(String message) {
        super(message);
    }
}
