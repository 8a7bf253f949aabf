package dev.banyan.testsupport;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real child JVM running a main class from the test class path (or any child process), for tests
 * of exit codes, crashes and cross-process locks. Its stdout and stderr are merged and collected
 * line by line. Started through {@link ChildProcesses}: it never outlives the test JVM.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "child-jvm-output-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        return start(List.of(), mainClass, args);
    }

    /**
     * A child JVM with extra options, for example {@code -Duser.timezone=UTC}, {@code -Xmx512m} (the
     * shipped server's heap) or {@code -XX:TieredStopAtLevel=4} (the full JIT where a child runs long
     * loops). Defaults are {@code -Xmx256m -XX:TieredStopAtLevel=1}; a later option wins.
     */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        return new ChildJvm(ChildProcesses.start(new ProcessBuilder(javaCommand(jvmOptions, mainClass, args)).redirectErrorStream(true)));
    }

    /** The command line that runs {@code mainClass} from the test class path, for callers that wrap it (e.g. setpriv). */
    public static List<String> javaCommand(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.javaExecutable());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // quick start
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Any child process (for example a server's start script), with the same output handling. */
    public static ChildJvm startProcess(ProcessBuilder builder) throws IOException {
        return new ChildJvm(ChildProcesses.start(builder.redirectErrorStream(true)));
    }

    /** Surefire runs tests through a manifest-only jar; the real class path is in its own property. */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                pending.add(line);
            }
        } catch (IOException e) {
            // The child died; whatever it printed is collected.
        }
    }

    /** Waits for a line containing {@code text}; fails with everything printed so far after the timeout. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? pending.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS) : null;
            if (line != null && line.contains(text)) {
                return line;
            }
            if (line == null && (left <= 0 || (!process.isAlive() && pending.isEmpty() && !reader.isAlive()))) {
                throw new AssertionError("child JVM never printed '" + text + "' (alive=" + process.isAlive()
                        + "); output:\n" + String.join("\n", output));
            }
        }
    }

    /** Waits for the child to exit by itself and returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not exit within " + timeout + "; output:\n" + String.join("\n", output));
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    public boolean hasExited() {
        return !process.isAlive();
    }

    public int exitStatus() {
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no finally block, no flush runs in the child. */
    public void kill() throws InterruptedException {
        // A start script may run the JVM as its child: end the whole tree.
        ChildProcesses.killTree(process);
        process.waitFor();
        // Read what is still in the pipe, so callers see every line the child printed.
        reader.join(TimeUnit.SECONDS.toMillis(30));
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static final class Path {
        static String javaExecutable() {
            return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        }
    }
}
