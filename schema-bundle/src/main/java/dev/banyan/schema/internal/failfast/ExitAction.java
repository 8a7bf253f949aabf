package dev.banyan.schema.internal.failfast;

import java.time.Duration;

import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [R9] The server's fail-fast action: stop the OSGi framework (bounded) so every component closes
 * its databases and releases its locks, then end the JVM with a non-zero status. The thread that
 * reported the failure never returns. A shutdown hook
 * keeps the status non-zero even if the launcher calls {@code System.exit(0)} once the framework
 * has stopped.
 */
public final class ExitAction implements FailFastService.Action {

    private static final Logger LOG = LoggerFactory.getLogger(ExitAction.class);

    private final Framework framework;
    private final int status;
    private final Duration stopTimeout;

    /** @param framework the framework to stop first, or null outside OSGi */
    public ExitAction(Framework framework, int status, Duration stopTimeout) {
        this.framework = framework;
        this.status = status;
        this.stopTimeout = stopTimeout;
    }

    @Override
    public void execute(String fatalLine, Throwable cause) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(status), "banyan-fail-fast-status"));
        // Stopping the framework from one of its own threads (a component activation, an event) would
        // wait on itself; a dedicated thread does it while the caller returns.
        Thread exit = new Thread(this::stopAndExit, "banyan-fail-fast");
        exit.setDaemon(false);
        exit.start();
        // The failing path must not carry on as if it had succeeded: hold it until the process ends.
        // This cannot stall shutdown: the stop above is bounded and System.exit ends every thread.
        while (true) {
            try {
                exit.join();
            } catch (InterruptedException e) {
                // Keep holding; only the exit ends this thread.
            }
        }
    }

    private void stopAndExit() {
        try {
            if (framework != null) {
                framework.stop();
                framework.waitForStop(stopTimeout.toMillis());
            }
        } catch (Exception | LinkageError e) {
            LOG.error("Framework did not stop cleanly before exit", e);
        } finally {
            System.exit(status);
        }
    }
}
