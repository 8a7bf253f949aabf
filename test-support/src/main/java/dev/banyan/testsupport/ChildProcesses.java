package dev.banyan.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the long-running processes tests use (servers, peers, child JVMs) tied to this JVM, so that
 * none outlives the test run, however it ends:
 * <ul>
 * <li>each child runs in a process group (a session) of its own, so its whole tree can be ended at
 * once, a start script's JVM included ({@code bin/karaf} runs {@code java} as its child);</li>
 * <li>a shutdown hook ends every child still running when this JVM exits (tests done, Ctrl-C,
 * SIGTERM from surefire's timeout);</li>
 * <li>a watchdog beside each child ({@code bash}, polling once a second) ends the child's group once
 * this JVM is gone, which covers what no hook can: this JVM killed with SIGKILL. It knows this JVM
 * is gone when the child's parent is no longer this JVM (it was re-parented), which, unlike a pid,
 * cannot be mistaken for a new process that reused the number.</li>
 * </ul>
 * Linux only (setsid, /proc), like the rest of the tests.
 */
public final class ChildProcesses {

    private static final String SETSID = "/usr/bin/setsid";
    /** $1 = this JVM's pid, $2 = the child's pid (= its process group id, from setsid). */
    private static final String WATCHDOG = """
            while [ "$(sed 's/.*) //' /proc/$2/stat 2>/dev/null | cut -d' ' -f2)" = "$1" ]; do sleep 1; done
            kill -KILL -- "-$2" 2>/dev/null
            exit 0
            """;
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcesses::killTree), "test-children-reaper"));
    }

    private ChildProcesses() {
    }

    /**
     * Starts {@code builder}'s command (unchanged: the builder is left as given) in a session of
     * its own, tied to this JVM as described above. The returned process is the command itself.
     */
    public static Process start(ProcessBuilder builder) throws IOException {
        List<String> command = builder.command();
        List<String> inSession = new ArrayList<>(command.size() + 1);
        inSession.add(SETSID);
        inSession.addAll(command);
        Process process;
        try {
            process = builder.command(inSession).start();
        } finally {
            builder.command(command);
        }
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        try {
            // In a session of its own too: ending this JVM's group (its own watchdog does) must not end it.
            new ProcessBuilder(SETSID, "/bin/bash", "-c", WATCHDOG, "test-child-watchdog", Long.toString(ProcessHandle.current().pid()),
                    Long.toString(process.pid())).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            killTree(process);
            throw e;
        }
        return process;
    }

    /** SIGKILL to the process and everything it started (its descendants, then itself). */
    public static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        // The signal only: Process.destroyForcibly also closes our end of the pipe, dropping the
        // lines the child printed last (the crash test lost acknowledgements that way).
        process.toHandle().destroyForcibly();
    }
}
