package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A copy of the assembly ({@code distribution/target/assembly}), started as an operator does
 * ({@code bin/karaf run}, default heap) on free loopback ports (HTTP, SSH, JMX) with its own
 * {@code etc/} and data directory; {@code lib/} and {@code system/} are shared with the assembly
 * (read only). Remote write goes to group {@code prometheus}, line protocol to group {@code bench}.
 */
final class BanyanAssembly extends WireServer {

    private final Path home;
    private final int sshPort;

    private BanyanAssembly(ServerProcess process, Path home, int httpPort, int sshPort) {
        super("Banyan", process, httpPort, home.resolve("data/banyan"),
                new Endpoints("/api/v1/write", Peers.INFLUX_WRITE, "/api/v1/query_range"));
        this.home = home;
        this.sshPort = sshPort;
    }

    /**
     * Starts a copy of {@code assembly} in {@code home} (emptied first) and waits until {@code /-/ready}
     * answers 200.
     *
     * @param config lines appended to files of {@code etc/}, by file name (later lines win in Karaf's
     *               configuration files), on top of the ports
     */
    static BanyanAssembly start(Path assembly, Path home, Map<String, String> config) throws Exception {
        if (!Files.isExecutable(assembly.resolve("bin/karaf"))) {
            throw new IllegalStateException("no assembly at " + assembly + ": build the distribution module first");
        }
        ServerProcess.deleteTree(home);
        copyTree(assembly.resolve("bin"), home.resolve("bin"));
        copyTree(assembly.resolve("etc"), home.resolve("etc"));
        Files.createSymbolicLink(home.resolve("lib"), assembly.resolve("lib"));
        Files.createSymbolicLink(home.resolve("system"), assembly.resolve("system"));
        Files.createDirectories(home.resolve("data"));
        Files.deleteIfExists(home.resolve("etc/banyan-admin.password"));
        int httpPort = ServerProcess.freePort();
        int sshPort = ServerProcess.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("org.ops4j.pax.web.cfg", "org.osgi.service.http.port = " + httpPort);
        all.put("org.apache.karaf.shell.cfg", "sshPort = " + sshPort);
        all.put("org.apache.karaf.management.cfg", "rmiRegistryPort = " + ServerProcess.freePort() + "\nrmiServerPort = "
                + ServerProcess.freePort());
        config.forEach((file, lines) -> all.merge(file, lines, (a, b) -> a + "\n" + b));
        for (Map.Entry<String, String> e : all.entrySet()) {
            Path file = home.resolve("etc").resolve(e.getKey());
            Files.writeString(file, (Files.exists(file) ? Files.readString(file) : "") + "\n" + e.getValue() + "\n");
        }
        ServerProcess process = ServerProcess.start("Banyan", java.util.List.of(home.resolve("bin/karaf").toString(), "run"), home,
                home.resolve("console.log"), Map.of("JAVA_HOME", System.getProperty("java.home"),
                        // e.g. -XX:StartFlightRecording=filename=/tmp/banyan.jfr to profile the server under the load
                        "EXTRA_JAVA_OPTS", System.getProperty("bench.banyanJavaOpts", "")));
        BanyanAssembly server = new BanyanAssembly(process, home, httpPort, sshPort);
        process.awaitAnswer(server.uri("/-/ready"), 200, Peers.START_TIMEOUT);
        // Ready says every group serves; the endpoints' servlets may still be registering on the whiteboard (404 until then).
        for (String endpoint : new String[] {"/api/v1/write", Peers.INFLUX_WRITE, "/api/v1/query_range"}) {
            process.awaitAnswer(server.uri(endpoint), server.authorization(), status -> status != 404, "serve " + endpoint,
                    Peers.START_TIMEOUT);
        }
        return server;
    }

    /** HTTP Basic as the administrator {@code bin/setenv} created on first start. */
    @Override
    String authorization() {
        try {
            return "Basic " + Base64.getEncoder().encodeToString(("banyan:" + password()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
}
