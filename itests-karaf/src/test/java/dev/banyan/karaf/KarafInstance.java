package dev.banyan.karaf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.banyan.testsupport.ChildJvm;

/**
 * One copy of the Banyan assembly, started the way an operator starts it ({@code bin/karaf run})
 * and driven through {@code bin/client}. bin/ and etc/ are copied per instance; lib/ and system/
 * (read only) are linked.
 */
final class KarafInstance implements AutoCloseable {

    record Result(int status, String output) {
    }

    private final Path home;
    private final String user;
    private String password;
    private int sshPort;
    private int httpPort;
    private ChildJvm process;

    private KarafInstance(Path home, String user, String password) {
        this.home = home;
        this.user = user;
        this.password = password;
    }

    /** A stock Apache Karaf with a test user, whose Maven resolver uses this build's local repository. */
    static KarafInstance stock(Path dir) throws IOException {
        layOut(Path.of(System.getProperty("banyan.stock.karaf")).toAbsolutePath().normalize(), dir);
        Files.writeString(dir.resolve("etc/users.properties"), "tester = tester,_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("etc/org.ops4j.pax.url.mvn.cfg"), "org.ops4j.pax.url.mvn.localRepository = "
                + System.getProperty("banyan.local.repository") + "\n", java.nio.file.StandardOpenOption.APPEND);
        return new KarafInstance(dir, "tester", "tester");
    }

    static KarafInstance create(Path dir) throws IOException {
        layOut(Path.of(System.getProperty("banyan.assembly")).toAbsolutePath().normalize(), dir);
        Files.deleteIfExists(dir.resolve("etc/banyan-admin.password"));
        return new KarafInstance(dir, "banyan", null);
    }

    private static void layOut(Path assembly, Path dir) throws IOException {
        if (!Files.isExecutable(assembly.resolve("bin/karaf"))) {
            throw new IllegalStateException("no assembly at " + assembly + ": build the distribution module first");
        }
        Files.createDirectories(dir);
        copyTree(assembly.resolve("bin"), dir.resolve("bin"));
        copyTree(assembly.resolve("etc"), dir.resolve("etc"));
        Files.createSymbolicLink(dir.resolve("lib"), assembly.resolve("lib"));
        Files.createSymbolicLink(dir.resolve("system"), assembly.resolve("system"));
        Files.createDirectories(dir.resolve("deploy"));
        Files.createDirectories(dir.resolve("data"));
    }

    Path home() {
        return home;
    }

    Path dataRoot() {
        return home.resolve("data/banyan");
    }

    /**
     * Gives this instance free SSH and JMX ports, so an instance still shutting down (or any other
     * Karaf on the machine) can never answer this one's client.
     */
    private void isolatePorts() throws IOException {
        sshPort = freePort();
        appendProperty("etc/org.apache.karaf.shell.cfg", "sshPort", sshPort);
        appendProperty("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort());
        appendProperty("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort());
        httpPort = freePort();
        appendProperty("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort);
    }

    /** Polls {@code GET /-/ready} (anonymous) until it answers 200. */
    void awaitHttpReady(Duration timeout) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI ready = java.net.URI.create("http://127.0.0.1:" + httpPort + "/-/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (process.hasExited()) {
                throw new AssertionError("server exited with " + process.exitStatus() + ":\n" + output());
            }
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(ready).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET /-/ready not 200 after " + timeout + "\n" + output());
            }
            Thread.sleep(200);
        }
    }

    /** The plain HTTP port of this instance's endpoints (set by {@link #start()}). */
    int httpPort() {
        return httpPort;
    }

    /** The administrator's password (created by bin/setenv on first start). */
    String password() throws IOException {
        return password != null ? password : Files.readString(home.resolve("etc/banyan-admin.password")).strip();
    }

    /** Sets {@code key = value} in {@code etc/<file>}, replacing an earlier line for the key (before start, or live). */
    void setProperty(String file, String key, Object value) throws IOException {
        appendProperty("etc/" + file, key, value);
    }

    /** Sets {@code key = value} in {@code etc/<pid>.cfg}, replacing an earlier line for the key. */
    void configure(String pid, String key, String value) throws IOException {
        setProperty(pid + ".cfg", key, value);
    }

    private void appendProperty(String file, String key, Object value) throws IOException {
        Path cfg = home.resolve(file);
        String text = Files.exists(cfg) ? Files.readString(cfg) : "";
        text = text.lines().filter(l -> !l.matches("\\s*" + key + "\\s*=.*")).collect(java.util.stream.Collectors.joining("\n"));
        Files.writeString(cfg, text + "\n" + key + " = " + value + "\n");
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@code bin/karaf run}: foreground, the log on the console, as the README starts it. */
    void start() throws IOException {
        start("run");
    }

    /** {@code bin/karaf <mode>}, e.g. {@code server}: foreground without the log on the console. */
    void start(String mode) throws IOException {
        isolatePorts();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), mode).directory(home.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = ChildJvm.startProcess(builder);
    }

    /** Polls {@code banyan:status} until the shell answers. */
    void awaitServing(Duration timeout) throws Exception {
        awaitAnswer("banyan:status", timeout);
    }

    /** Polls a command until the shell answers it successfully. */
    void awaitAnswer(String command, Duration timeout) throws Exception {
        awaitOutput(command, timeout, result -> result.status() == 0);
    }

    /** Polls a command until its result, success or not, satisfies {@code reached}. */
    void awaitOutput(String command, Duration timeout, java.util.function.Predicate<Result> reached) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result last = null;
        while (System.nanoTime() < deadline) {
            if (process.hasExited()) {
                throw new AssertionError("server exited with " + process.exitStatus() + ":\n" + output());
            }
            if (password != null || Files.exists(home.resolve("etc/banyan-admin.password"))) {
                last = client(command);
                if (reached.test(last)) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("'" + command + "' not as expected after " + timeout + "; last answer: " + last + "\n" + output());
    }

    Result client(String command) throws Exception {
        String secret = password != null ? password : Files.readString(home.resolve("etc/banyan-admin.password")).strip();
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", Integer.toString(sshPort),
                "-u", user, "-p", secret, "-b")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        client.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("bin/client hung on: " + command);
        }
        // Strip the ANSI colours Karaf adds to error messages.
        return new Result(client.exitValue(), out.replaceAll("\u001B\\[[;\\d]*m", ""));
    }

    /** How many lines the server has printed so far: a mark for {@link #awaitLine(int, Duration, String...)}. */
    int lines() {
        return process.output().size();
    }

    /** Waits for a printed line containing every one of {@code parts}; any line printed so far counts. */
    String awaitLine(String part, Duration timeout) throws InterruptedException {
        return awaitLine(0, timeout, part);
    }

    String awaitLine(String part, String also, Duration timeout) throws InterruptedException {
        return awaitLine(0, timeout, part, also);
    }

    /** Waits for a line, from line number {@code from} on, containing every one of {@code parts}. */
    String awaitLine(int from, Duration timeout, String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = process.output();
            for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
                if (java.util.Arrays.stream(parts).allMatch(line::contains)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline || process.hasExited()) {
                throw new AssertionError("no line with " + java.util.Arrays.toString(parts) + " (exited: " + process.hasExited()
                        + "); output:\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILL to the server and its start script: no shutdown hook, no clean stop. */
    void kill() throws InterruptedException {
        process.kill();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        return process.awaitExit(timeout);
    }

    /** The operator's clean stop: Karaf stops the framework, components close their databases. */
    int shutdown(Duration timeout) throws Exception {
        client("system:shutdown -f");
        return process.awaitExit(timeout);
    }

    List<String> fatalLines() {
        return process.output().stream().filter(l -> l.contains("FATAL")).toList();
    }

    String output() {
        return String.join("\n", process.output());
    }

    List<Path> lockFiles() throws IOException {
        if (!Files.exists(dataRoot())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dataRoot())) {
            return files.filter(p -> p.getFileName().toString().equals("lock")).toList();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.close();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
