package dev.banyan.server.api;

/**
 * The group exists but its database is not open on this node right now (it failed to open, or a
 * bundle update is switching it over), or it cannot take writes right now (the storage's memtable
 * memory budget stayed full). Nothing was written; retrying later may succeed.
 */
public class GroupNotServingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GroupNotServingException(String message, Throwable cause) {
        super(message, cause);
    }
}
