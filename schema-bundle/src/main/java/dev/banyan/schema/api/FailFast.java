package dev.banyan.schema.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * [R9] The one place that decides what happens when the server meets an error it must not run
 * with (a permanent error, or boot that could not initialise every group). In a server it stops
 * the process with a non-zero status after one FATAL line; tests replace the action.
 */
@ProviderType
public interface FailFast {

    /**
     * Reports the error and carries out the configured action. In a server this does not return
     * normally for long: the process is on its way out.
     *
     * @param context what was being done, e.g. {@code group g1: processing ADD}
     */
    void fail(String context, Throwable cause);

    /**
     * Whether a failure has been reported: the server is on its way out, so nothing may start,
     * restart or announce that it serves any more.
     *
     * @since 1.1
     */
    default boolean hasFailed() {
        return false;
    }
}
