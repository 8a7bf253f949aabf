package dev.banyan.karaf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import org.xerial.snappy.Snappy;

import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.ReadRequest;
import dev.banyan.http.internal.prompb.ReadResponse;
import dev.banyan.http.internal.prompb.Sample;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.http.internal.prompb.WriteRequest;

/** A client of Banyan's HTTP endpoints as collectors speak to them: remote write, line protocol, plain GETs. */
final class HttpClientSupport {

    /** Prometheus's staleness marker: a NaN with this exact bit pattern. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private String authorization;

    HttpClientSupport(String base) {
        this.base = base;
    }

    HttpClientSupport basic(String user, String password) {
        authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    HttpClientSupport authorization(String header) {
        authorization = header;
        return this;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    HttpResponse<String> post(String path, String contentType, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return send(request);
    }

    /**
     * Sends only the headers of a POST declaring a {@code Content-Length} of {@code declaredBytes},
     * over a plain socket, and returns the answer's status line and body: for a body the server
     * refuses by its declared length alone (413), so the test never sends it. (The JDK 17 client
     * waits for ever for a 100 Continue that such a refusal never sends.)
     */
    String[] postDeclaringLength(String path, String contentType, long declaredBytes) throws IOException {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\nContent-Type: "
                    + contentType + "\r\nContent-Length: " + declaredBytes + "\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder headers = new StringBuilder();
            while (!headers.toString().endsWith("\r\n\r\n")) {
                headers.append((char) in.readUnsignedByte());
            }
            java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
            byte[] body;
            if (length.find()) {
                body = new byte[Integer.parseInt(length.group(1))];
                in.readFully(body);
            } else {
                body = in.readAllBytes(); // Connection: close ends it (chunk sizes, if any, stay in the text)
            }
            return new String[] {headers.substring(0, headers.indexOf("\r\n")), new String(body, StandardCharsets.UTF_8)};
        }
    }

    /** POST /api/v1/write as Prometheus sends it. */
    HttpResponse<String> remoteWrite(String query, WriteRequest write) throws IOException, InterruptedException {
        return post("/api/v1/write" + query, "application/x-protobuf", Map.of("Content-Encoding", "snappy",
                "X-Prometheus-Remote-Write-Version", "0.1.0"), Snappy.compress(write.toByteArray()));
    }

    /** POST /api/v1/read as Prometheus sends it; the decoded answer, or an AssertionError with the status and body. */
    ReadResponse remoteRead(String query, ReadRequest read) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(remoteReadRequest(query, read), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("remote read answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return ReadResponse.parseFrom(Snappy.uncompress(response.body()));
    }

    /** POST /api/v1/read, the answer as text (for refusals). */
    HttpResponse<String> remoteReadRaw(String query, ReadRequest read) throws IOException, InterruptedException {
        return client.send(remoteReadRequest(query, read), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest remoteReadRequest(String query, ReadRequest read) throws IOException {
        return request("/api/v1/read" + query).header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0").POST(HttpRequest.BodyPublishers.ofByteArray(
                        Snappy.compress(read.toByteArray()))).build();
    }

    HttpResponse<String> lineProtocol(String pathAndQuery, String lines) throws IOException, InterruptedException {
        return post(pathAndQuery, "text/plain; charset=utf-8", Map.of(), lines.getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A series: metric name, labels as alternating name and value, samples as alternating time (ms) and value. */
    static TimeSeries series(String metric, String[] labels, double... timesAndValues) {
        Map<String, String> sorted = new TreeMap<>();
        sorted.put("__name__", metric);
        for (int i = 0; i < labels.length; i += 2) {
            sorted.put(labels[i], labels[i + 1]);
        }
        TimeSeries.Builder series = TimeSeries.newBuilder();
        sorted.forEach((name, value) -> series.addLabels(Label.newBuilder().setName(name).setValue(value)));
        for (int i = 0; i < timesAndValues.length; i += 2) {
            series.addSamples(Sample.newBuilder().setTimestamp((long) timesAndValues[i]).setValue(timesAndValues[i + 1]));
        }
        return series.build();
    }

    static WriteRequest write(TimeSeries... series) {
        WriteRequest.Builder write = WriteRequest.newBuilder();
        for (TimeSeries s : series) {
            write.addTimeseries(s);
        }
        return write.build();
    }

    static String[] labels(String... namesAndValues) {
        return namesAndValues;
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
