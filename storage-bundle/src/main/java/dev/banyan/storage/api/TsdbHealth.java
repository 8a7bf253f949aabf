package dev.banyan.storage.api;

import java.nio.file.Path;
import java.util.List;

/**
 * What is wrong with a group's database right now, for status and readiness checks
 * ({@link Tsdb#health()}); see {@code docs/SEMANTICS.md}, "Background failures".
 *
 * @param state    {@link State#OK} without problems; {@link State#FAILED} if any problem is
 *                 permanent; {@link State#DEGRADED} otherwise
 * @param problems the current problems, oldest first; each disappears once what failed succeeds
 */
public record TsdbHealth(State state, List<Problem> problems) {

    public static final TsdbHealth OK = new TsdbHealth(State.OK, List.of());

    public TsdbHealth {
        problems = List.copyOf(problems);
    }

    /** The health of a set of problems: FAILED if any is permanent, DEGRADED if any, else OK. */
    public static TsdbHealth of(List<Problem> problems) {
        if (problems.isEmpty()) {
            return OK;
        }
        boolean permanent = problems.stream().anyMatch(Problem::permanent);
        return new TsdbHealth(permanent ? State.FAILED : State.DEGRADED, problems);
    }

    public enum State {
        /** Every background task succeeds. */
        OK,
        /**
         * Something failed that heals without a restart once its cause is gone (a full disk, a
         * directory that is not writable, flushes behind ingest): the engine retries by itself;
         * writes may fail meanwhile with errors naming the cause.
         */
        DEGRADED,
        /** Something failed that waiting cannot fix (for example a corrupt part): an operator must act. */
        FAILED
    }

    /**
     * @param path        the shard directory or file concerned
     * @param message     what failed, with the file and offset where known, and what the engine does about it
     * @param permanent   true if retrying cannot fix it
     * @param sinceMillis when it was first seen, epoch milliseconds of the engine clock
     */
    public record Problem(Path path, String message, boolean permanent, long sinceMillis) {
    }
}
