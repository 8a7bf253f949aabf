package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A copy of the assembly, started as an operator does ({@code bin/karaf run}) on free loopback ports. */
final class AssemblyServer implements AutoCloseable {
    private final Path home;
    private final Process process;
    private final int httpPort;
    private final int sshPort;

    private AssemblyServer(Path home, Process process, int httpPort, int sshPort) {
        this.home = home;
        this.process = process;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
    }

    static AssemblyServer start(Path assembly, Path home) throws Exception {
        if (!Files.isExecutable(assembly.resolve("bin/karaf"))) {
            throw new IllegalStateException("no assembly at " + assembly + ": build the distribution module first");
        }
        // bin/ and etc/ are the instance's own; lib/ and system/ (read only) are shared with the assembly.
        deleteTree(home);
        copyTree(assembly.resolve("bin"), home.resolve("bin"));
        copyTree(assembly.resolve("etc"), home.resolve("etc"));
        Files.createSymbolicLink(home.resolve("lib"), assembly.resolve("lib"));
        Files.createSymbolicLink(home.resolve("system"), assembly.resolve("system"));
        Files.createDirectories(home.resolve("data"));
        Files.deleteIfExists(home.resolve("etc/banyan-admin.password"));
        int httpPort = freePort();
        int sshPort = freePort();
        append(home.resolve("etc/org.ops4j.pax.web.cfg"), "org.osgi.service.http.port = " + httpPort);
        append(home.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = " + sshPort);
        append(home.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort = " + freePort() + "\nrmiServerPort = " + freePort());
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "run").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        AssemblyServer server = new AssemblyServer(home, builder.start(), httpPort, sshPort);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(server.base() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return server;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException("server not ready; see " + home.resolve("console.log"));
            }
            Thread.sleep(200);
        }
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    String password() throws IOException {
        return Files.readString(home.resolve("etc/banyan-admin.password")).strip();
    }

    /** Stored points of a measure of group prometheus in [from, to), through the operator shell. */
    long count(String measure, long from, long to) throws Exception {
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", Integer.toString(sshPort), "-u", "banyan",
                "-p", password(), "-b").directory(home.toFile()).redirectErrorStream(true).start();
        client.getOutputStream().write(("banyan:query --agg count --from " + from + " --to " + to + " prometheus " + measure + "\n")
                .getBytes(StandardCharsets.UTF_8));
        client.getOutputStream().close();
        String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(120, TimeUnit.SECONDS);
        Matcher number = Pattern.compile("\\|\\s*(\\d+)(\\.0)?\\s*$", Pattern.MULTILINE).matcher(out);
        long total = 0;
        while (number.find()) {
            total += Long.parseLong(number.group(1));
        }
        return total;
    }

    @Override
    public void close() throws Exception {
        // bin/karaf is a shell script: stop the JVM it started too, not only the script.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void append(Path file, String line) throws IOException {
        Files.writeString(file, (Files.exists(file) ? Files.readString(file) : "") + "\n" + line + "\n");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
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
