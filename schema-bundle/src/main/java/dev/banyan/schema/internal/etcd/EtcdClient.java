package dev.banyan.schema.internal.etcd;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * etcd v3 through its JSON gateway (documented in etcd's "gRPC gateway" page: {@code POST /v3/kv/range},
 * {@code /v3/kv/txn}, {@code /v3/kv/deleterange}, {@code /v3/watch}, {@code /v3/lease/*}; keys and
 * values base64, 64-bit numbers as strings), over {@code java.net.http} and Jackson. Both work in
 * OSGi as they are, unlike the gRPC client jetcd.
 * <p>
 * Every request goes to the current endpoint; one that cannot be reached moves the client on to
 * the next endpoint of the list for the next request.
 */
final class EtcdClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A key and its value as etcd stores them; revisions are etcd's. */
    record KeyValue(String key, byte[] value, long createRevision, long modRevision, long lease) {
    }

    /** Keys of a range read at one revision. */
    record Range(long revision, List<KeyValue> kvs, boolean more) {
    }

    private final List<URI> endpoints;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private final AtomicInteger current = new AtomicInteger();

    EtcdClient(List<URI> endpoints, Duration requestTimeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint");
        }
        this.endpoints = List.copyOf(endpoints);
        this.requestTimeout = requestTimeout;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "banyan-etcd-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // HTTP/1.1: the gateway shares its port with gRPC, so no h2c upgrade attempts.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout)
                .executor(executor).build();
    }

    /** The endpoint requests go to now, e.g. {@code http://127.0.0.1:2379}. */
    String endpoint() {
        return endpoints.get(Math.floorMod(current.get(), endpoints.size())).toString();
    }

    /** Every configured endpoint, comma-separated, as messages name them. */
    String endpoints() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * One unary call. @return the response object
     * @throws EtcdException transient if etcd cannot be reached or is unavailable, permanent if it
     *                       refused the request
     */
    JsonNode call(String path, JsonNode body) {
        URI endpoint = URI.create(endpoint());
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EtcdException.unreachable(endpoint + ": interrupted", e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw EtcdException.of(response.statusCode() >= 500 ? EtcdException.UNAVAILABLE : EtcdException.UNKNOWN,
                    endpoint + path + " answered HTTP " + response.statusCode() + " with no JSON", e);
        }
        if (response.statusCode() != 200 || answer.has("error")) {
            throw EtcdException.fromError(endpoint + path, response.statusCode(), answer);
        }
        return answer;
    }

    /** Range read of {@code [key, rangeEnd)} ({@code rangeEnd} null: the key alone) at {@code revision} (0: latest). */
    Range range(String key, String rangeEnd, long revision, long limit) {
        ObjectNode body = JSON.createObjectNode().put("key", encode(key));
        if (rangeEnd != null) {
            body.put("range_end", encode(rangeEnd));
        }
        if (revision > 0) {
            body.put("revision", Long.toString(revision));
        }
        if (limit > 0) {
            body.put("limit", Long.toString(limit));
        }
        JsonNode answer = call("/v3/kv/range", body);
        return new Range(revision(answer), keyValues(answer.path("kvs")), answer.path("more").asBoolean(false));
    }

    /** Opens a watch; the caller reads its responses and closes it. */
    Watch watch(String key, String rangeEnd, long startRevision) {
        URI endpoint = URI.create(endpoint());
        ObjectNode create = JSON.createObjectNode().put("key", encode(key)).put("range_end", encode(rangeEnd))
                .put("start_revision", Long.toString(startRevision)).put("prev_kv", true);
        ObjectNode body = JSON.createObjectNode().set("create_request", create);
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/v3/watch")).timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            InputStream in = response.body();
            if (response.statusCode() != 200) {
                try (in) {
                    throw EtcdException.fromError(endpoint + "/v3/watch", response.statusCode(), JSON.readTree(in));
                }
            }
            return new Watch(endpoint, in, JSON.readerFor(JsonNode.class).readValues(in));
        } catch (IOException e) {
            throw unreachable(endpoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EtcdException.unreachable(endpoint + ": interrupted", e);
        }
    }

    /** The responses of one watch stream, each {@code {"result": WatchResponse}} or {@code {"error": ...}}. */
    final class Watch implements AutoCloseable {
        private final URI endpoint;
        private final InputStream in;
        private final MappingIterator<JsonNode> responses;

        private Watch(URI endpoint, InputStream in, MappingIterator<JsonNode> responses) {
            this.endpoint = endpoint;
            this.in = in;
            this.responses = responses;
        }

        /**
         * Blocks for the next response. @return its {@code result}
         * @throws EtcdException transient when the stream ends or breaks (etcd went away)
         */
        JsonNode next() {
            try {
                if (!responses.hasNextValue()) {
                    throw EtcdException.unreachable(endpoint + " ended the watch stream", null);
                }
                JsonNode message = responses.nextValue();
                if (message.has("error")) {
                    throw EtcdException.fromError(endpoint + "/v3/watch", 200, message.get("error"));
                }
                return message.path("result");
            } catch (IOException | RuntimeException e) {
                if (e instanceof EtcdException etcd) {
                    throw etcd;
                }
                throw unreachable(endpoint, e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // The stream is being abandoned either way.
            }
        }
    }

    private EtcdException unreachable(URI endpoint, Exception e) {
        // The next request tries the next endpoint of the list.
        if (endpoints.size() > 1) {
            current.compareAndSet(endpoints.indexOf(endpoint), endpoints.indexOf(endpoint) + 1);
        }
        return EtcdException.unreachable(endpoint + ": " + describe(e), e);
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }

    static long revision(JsonNode answer) {
        return answer.path("header").path("revision").asLong(0);
    }

    static List<KeyValue> keyValues(JsonNode kvs) {
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode kv : kvs) {
            out.add(keyValue(kv));
        }
        return out;
    }

    static KeyValue keyValue(JsonNode kv) {
        return new KeyValue(decode(kv.path("key").asText("")), Base64.getDecoder().decode(kv.path("value").asText("")),
                kv.path("create_revision").asLong(0), kv.path("mod_revision").asLong(0), kv.path("lease").asLong(0));
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** The first key after every key that starts with {@code prefix}: etcd's range end for a prefix. */
    static String prefixEnd(String prefix) {
        byte[] bytes = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] != (byte) 0xff) {
                bytes[i]++;
                return new String(bytes, 0, i + 1, StandardCharsets.UTF_8);
            }
        }
        return "\0";
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    @Override
    public void close() {
        // java.net.http's client has no close() before Java 21: ending its executor stops its work.
        executor.shutdownNow();
    }
}
