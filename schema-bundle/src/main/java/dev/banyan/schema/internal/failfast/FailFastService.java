package dev.banyan.schema.internal.failfast;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.FailFast;

/**
 * [R9] Writes the one FATAL line (to the log and to stderr, where an operator starting the server
 * looks) and runs the action. Only the first failure acts; later ones are logged as follow-ups.
 */
public final class FailFastService implements FailFast {

    /** What to do once the FATAL line is out: exit in a server, record in a test. */
    @FunctionalInterface
    public interface Action {
        void execute(String fatalLine, Throwable cause);
    }

    private static final Logger LOG = LoggerFactory.getLogger(FailFastService.class);

    private static final PrintStream PROCESS_STDERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);

    private final Action action;
    private final AtomicBoolean tripped = new AtomicBoolean();

    public FailFastService(Action action) {
        this.action = action;
    }

    @Override
    public void fail(String context, Throwable cause) {
        String line = fatalLine(context, cause);
        if (!tripped.compareAndSet(false, true)) {
            // Not a second FATAL line: operators and scripts look for exactly one.
            LOG.error("Also failing (fail-fast already under way): {}", line.replaceFirst("^FATAL ", ""));
            return;
        }
        LOG.error(line, cause);
        if (!logReachesConsole()) {
            // An operator watching the terminal must see it exactly once. Not System.err: in a Karaf
            // shell command's thread that is the session's stream, and the session is about to die.
            PROCESS_STDERR.println(line);
        }
        action.execute(line, cause);
    }

    /** {@code bin/karaf run} sends the log to the console itself ({@code -Dkaraf.log.console=ALL}). */
    private static boolean logReachesConsole() {
        String console = System.getProperty("karaf.log.console");
        return console != null && !console.isBlank() && !"OFF".equalsIgnoreCase(console);
    }

    @Override
    public boolean hasFailed() {
        return tripped.get();
    }

    static String fatalLine(String context, Throwable cause) {
        String verdict = PermanentErrors.isPermanent(cause) ? " hit a permanent error, refusing to continue: "
                : " failed and cannot be retried, refusing to continue: ";
        return "FATAL " + context + verdict + (cause == null ? "unknown cause" : cause.getMessage());
    }
}
