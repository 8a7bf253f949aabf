package dev.banyan.storage.api;

/**
 * A write was refused whole because one of its points cannot be stored: its timestamp lies outside
 * the {@linkplain Timestamps supported range} or outside the group's write window (too far ahead of
 * the server's clock, or older than the group's TTL), or it lies beyond a write limit (a batch may
 * hold at most 1,000,000 points, and its points must fit one 256 MiB log record; see
 * {@code docs/SEMANTICS.md}, "Write limits"). The message names the point (its index in the batch,
 * series and timestamp) and the accepted window, or the limit. Nothing of the batch was written. Not
 * permanent and not a server fault: the client must fix the point or split the batch; retrying it
 * unchanged fails the same way (unless the server's clock catches up with a point slightly ahead of it).
 */
public class PointRejectedException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final int point;

    public PointRejectedException(int point, String message) {
        super(message);
        this.point = point;
    }

    /** The index of the refused point in its batch (for a limit, the first point beyond it). */
    public int point() {
        return point;
    }
}
