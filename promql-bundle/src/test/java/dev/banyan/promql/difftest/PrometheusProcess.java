package dev.banyan.promql.difftest;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.banyan.testsupport.ChildProcesses;

/**
 * A real Prometheus 2.42 ({@code /usr/bin/prometheus}, Debian package {@code prometheus}) started
 * for a test on a free loopback port with its own data directory and the remote-write receiver on;
 * {@link #close()} stops it and waits for it to exit. Tied to the test JVM ({@link ChildProcesses}).
 */
public final class PrometheusProcess implements AutoCloseable {

    public static final String BINARY = System.getProperty("banyan.prometheus.binary", "/usr/bin/prometheus");

    private final Process process;
    private final URI base;

    private PrometheusProcess(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Starts Prometheus in {@code dir} and waits (up to 60 s) until it reports ready. */
    public static PrometheusProcess start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\n");
        Process p = ChildProcesses.start(new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--web.enable-remote-write-receiver", "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()));
        PrometheusProcess prometheus = new PrometheusProcess(p, URI.create("http://127.0.0.1:" + port));
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("prometheus exited with " + p.exitValue() + ": " + Files.readString(dir.resolve("prometheus.log")));
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(prometheus.base.resolve("/-/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return prometheus;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                prometheus.close();
                throw new IOException("prometheus not ready within 60 s: " + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(100);
        }
    }

    public URI base() {
        return base;
    }

    public URI remoteWrite() {
        return base.resolve("/api/v1/write");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Whether the binary is installed (the README's test command installs it). */
    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY));
    }
}
