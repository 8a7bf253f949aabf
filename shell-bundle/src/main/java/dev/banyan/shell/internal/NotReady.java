package dev.banyan.shell.internal;

import dev.banyan.server.api.MeasureService;

/**
 * Commands take the services a node may lack for a while (booting, storage being updated) as
 * optional references: Karaf unregisters every command of a bundle while one of them misses a
 * mandatory one, and {@code banyan:status} must answer exactly then.
 */
final class NotReady {

    private NotReady() {
    }

    /** @throws IllegalStateException saying the node is not ready (bin/client then exits non-zero) */
    static MeasureService check(MeasureService measures) {
        return check(measures, "the schema repository is not running (booting, or storage not available)");
    }

    static <T> T check(T service, String why) {
        if (service == null) {
            throw new IllegalStateException("not ready: " + why);
        }
        return service;
    }
}
