package dev.banyan.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A server under test over HTTP on loopback, started by the benchmark on free ports with its own
 * data directory: where it takes remote write, line protocol and PromQL range queries (null where
 * it does not), how to flush, its peak resident memory, and its data directory (measured once
 * {@link #close} has stopped it cleanly).
 */
class WireServer implements AutoCloseable {

    /** Where a server takes each protocol: paths with their query strings, null for a protocol it lacks. */
    record Endpoints(String remoteWrite, String lineProtocol, String queryRange) {
    }

    private final String name;
    protected final ServerProcess process;
    private final String base;
    private final Path dataDir;
    private final Endpoints endpoints;

    WireServer(String name, ServerProcess process, int port, Path dataDir, Endpoints endpoints) {
        this.name = name;
        this.process = process;
        this.base = "http://127.0.0.1:" + port;
        this.dataDir = dataDir;
        this.endpoints = endpoints;
    }

    final String name() {
        return name;
    }

    final URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /** Prometheus remote write 1.0 (snappy + protobuf), or null. */
    final URI remoteWrite() {
        return endpoints.remoteWrite() == null ? null : uri(endpoints.remoteWrite());
    }

    /** InfluxDB 1.x line protocol into database (group) {@code bench}, millisecond timestamps, or null. */
    final URI lineProtocol() {
        return endpoints.lineProtocol() == null ? null : uri(endpoints.lineProtocol());
    }

    /** The Prometheus HTTP API's {@code /api/v1/query_range}, or null. */
    final URI queryRange() {
        return endpoints.queryRange() == null ? null : uri(endpoints.queryRange());
    }

    /** The {@code Authorization} header value every request carries, or null. */
    String authorization() {
        return null;
    }

    /**
     * Asks the server to write what it buffers in memory to its on-disk form, where it has a way;
     * the clean stop of {@link #close} does the rest.
     */
    void flush() throws Exception {
    }

    /** Peak resident memory of the server so far, in bytes (VmHWM). */
    final long peakRssBytes() throws IOException {
        return process.peakRssBytes();
    }

    /** Everything the server stores, measured after {@link #close}. */
    final Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        process.close();
    }
}
