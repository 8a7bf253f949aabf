package dev.banyan.schema.internal.failfast;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [R9] The server's fail-fast action: release what holds Banyan's data (bounded by a timeout), then
 * end the JVM at once with a non-zero status. The thread that reported the failure never returns.
 *
 * <p>Why not a full, orderly framework stop: it stops every bundle of the container (HTTP server,
 * SSH, JMX, the features service...), which under load takes seconds after the FATAL line, and none
 * of it holds anything Banyan promised to keep. What must end cleanly is only what holds data and
 * locks: {@code release} closes it (in a server, by stopping the bundles that hold Banyan's data);
 * the rest of the process ends as after {@code kill -9}, which Karaf and
 * every acknowledged point survive. A shutdown hook keeps the status non-zero should anything call
 * {@code System.exit(0)} meanwhile.
 */
public final class ExitAction implements FailFastService.Action {

    private static final Logger LOG = LoggerFactory.getLogger(ExitAction.class);

    private final Runnable release;
    private final int status;
    private final Duration releaseTimeout;

    /**
     * @param release        closes every database and releases every lock before the exit; must not
     *                       end the process itself
     * @param status         JVM exit status, 1-255
     * @param releaseTimeout how long {@code release} may take before the process exits anyway
     */
    public ExitAction(Runnable release, int status, Duration releaseTimeout) {
        this.release = release;
        this.status = status;
        this.releaseTimeout = releaseTimeout;
    }

    @Override
    public void execute(String fatalLine, Throwable cause) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(status), "banyan-fail-fast-status"));
        // Releasing from one of the framework's own threads (a component activation, an event) could
        // wait on itself; a dedicated thread does it while the caller is held below.
        Thread exit = new Thread(this::releaseAndExit, "banyan-fail-fast");
        exit.setDaemon(false);
        exit.start();
        // The failing path must not carry on as if it had succeeded: hold it until the process ends.
        // This cannot stall the exit: the release is bounded and halt ends every thread.
        while (true) {
            try {
                exit.join();
            } catch (InterruptedException e) {
                // Keep holding; only the exit ends this thread.
            }
        }
    }

    private void releaseAndExit() {
        long start = System.nanoTime();
        Thread releasing = new Thread(() -> {
            try {
                release.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.error("Fail-fast could not release everything before exit", e);
            }
        }, "banyan-fail-fast-release");
        releasing.setDaemon(true);
        releasing.start();
        try {
            releasing.join(releaseTimeout.toMillis());
        } catch (InterruptedException e) {
            // Exit now: nothing else may delay it.
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (releasing.isAlive()) {
            LOG.error("Fail-fast release still running after {} ms (stopTimeoutSeconds); exiting with status {} anyway", millis, status);
        } else {
            LOG.info("Fail-fast released Banyan's data in {} ms; exiting with status {}", millis, status);
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
