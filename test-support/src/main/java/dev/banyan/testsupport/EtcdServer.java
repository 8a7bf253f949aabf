package dev.banyan.testsupport;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real etcd (Debian's {@code etcd-server}, {@code /usr/bin/etcd}) for one test: a single member on
 * free loopback ports with its own data directory. It can be stopped and started again on the same
 * ports and data, to play an outage. {@code .ci/install-packages} installs the package; a missing
 * binary fails the test, it never skips it.
 */
public final class EtcdServer implements AutoCloseable {

    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private ChildJvm process;

    private EtcdServer(Path dataDir, int clientPort, int peerPort) {
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
    }

    /** Starts a new member with {@code dataDir} as its data directory and waits until it answers. */
    public static EtcdServer start(Path dataDir) throws Exception {
        EtcdServer server = new EtcdServer(dataDir, freePort(), freePort());
        server.start();
        return server;
    }

    /** The client URL, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        return "http://127.0.0.1:" + clientPort;
    }

    public boolean running() {
        return process != null && !process.hasExited();
    }

    /** Starts (again) on the same ports and data; waits until it serves requests. */
    public void start() throws Exception {
        Path etcd = binary("etcd");
        Files.createDirectories(dataDir);
        String peer = "http://127.0.0.1:" + peerPort;
        ProcessBuilder builder = new ProcessBuilder(etcd.toString(), "--name", "test", "--data-dir", dataDir.toString(),
                "--listen-client-urls", endpoint(), "--advertise-client-urls", endpoint(),
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "test=" + peer, "--log-level", "warn");
        process = ChildJvm.startProcess(builder);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!healthy()) {
            if (process.hasExited()) {
                throw new IllegalStateException("etcd exited with " + process.exitStatus() + ":\n" + String.join("\n", process.output()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd did not answer within 60 s:\n" + String.join("\n", process.output()));
            }
            Thread.sleep(20);
        }
    }

    /** Stops the member the way an operator does (SIGTERM) and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process != null && !process.hasExited()) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            process.awaitExit(Duration.ofSeconds(30));
        }
    }

    private boolean healthy() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/health").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            try {
                return connection.getResponseCode() == 200
                        && new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("\"health\":\"true\"");
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code etcdctl} (API v3) against this member; fails the test if it fails. @return its output */
    public String etcdctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary("etcdctl").toString(), "--endpoints", endpoint()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process ctl = builder.start();
        String out = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ctl.waitFor(30, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
            ctl.destroyForcibly();
            throw new AssertionError("etcdctl " + String.join(" ", args) + " failed:\n" + out);
        }
        return out;
    }

    private static Path binary(String name) {
        Path path = Path.of("/usr/bin", name);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " is missing: run .ci/install-packages (installs etcd-server and etcd-client)");
        }
        return path;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
