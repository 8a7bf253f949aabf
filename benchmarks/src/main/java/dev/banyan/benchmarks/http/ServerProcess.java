package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * A server the benchmark started: its own process in a session of its own ({@code setsid}, so the
 * kernel schedules it as its own group, as a service would be), its output in a log file. Knows its
 * peak resident memory and stops the whole process tree on {@link #close}.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code workDir} with {@code env} added, output to {@code log}. */
    static ServerProcess start(String name, List<String> command, Path workDir, Path log, Map<String, String> env) throws IOException {
        List<String> full = new ArrayList<>();
        full.add("setsid");
        full.add("--wait"); // forks if it must to start a session, and stays the parent either way
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ServerProcess(name, builder.start(), log);
    }

    /**
     * Waits until {@code uri} answers {@code status} (polling every 200 ms), the process exits, or
     * {@code timeout} passes.
     *
     * @throws IllegalStateException if the process exited or the timeout passed, naming the log
     */
    void awaitAnswer(URI uri, int status, Duration timeout) throws InterruptedException {
        awaitAnswer(uri, null, answered -> answered == status, "answer " + status, timeout);
    }

    /**
     * Waits until a GET of {@code uri} (with {@code authorization} unless null) gets a status that
     * {@code accepted} takes, polling every 200 ms, until the process exits or {@code timeout} passes.
     *
     * @throws IllegalStateException if the process exited or the timeout passed, naming {@code what} and the log
     */
    void awaitAnswer(URI uri, String authorization, IntPredicate accepted, String what, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (accepted.test(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode())) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(name + " did not " + what + " at " + uri + "; see " + log);
            }
            Thread.sleep(200);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Process and descendants (a launcher script's JVM), for the memory figure and for stopping. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        return tree;
    }

    /**
     * The largest peak resident set ({@code VmHWM} of /proc/PID/status, bytes) among the process and
     * its descendants: for a launcher script, the server it started.
     */
    long peakRssBytes() throws IOException {
        long peak = 0;
        for (ProcessHandle p : tree()) {
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            if (!Files.exists(status)) {
                continue;
            }
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        }
        return peak;
    }

    /** Stops the tree with SIGTERM (a clean shutdown: each server flushes what it buffers), SIGKILL after 120 s. */
    @Override
    public void close() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(120, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                System.err.println(name + ": pid " + p.pid() + " still running 120 s after SIGTERM; killed");
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Bytes of every regular file under {@code dir} (symbolic links are not followed). */
    static long directoryBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) { // symbolic links are not followed: only the links go
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
