package dev.banyan.schema.internal.etcd;

import com.fasterxml.jackson.databind.JsonNode;

import dev.banyan.initerror.Permanent;
import dev.banyan.schema.api.SchemaException;

/**
 * A failed etcd request. Transient when waiting can heal it (etcd unreachable, no leader, overloaded:
 * a stream cut: gRPC codes UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, CANCELLED, or
 * an HTTP 5xx without one); permanent when etcd refused the request itself (invalid argument, permission denied, ...).
 */
final class EtcdException extends SchemaException implements Permanent {

    private static final long serialVersionUID = 1L;

    /** gRPC status codes etcd answers with (see grpc's {@code codes.proto}). */
    static final int CANCELLED = 1;
    static final int UNKNOWN = 2;
    static final int DEADLINE_EXCEEDED = 4;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int ABORTED = 10;
    static final int OUT_OF_RANGE = 11;
    static final int UNAVAILABLE = 14;

    private final int code;

    private EtcdException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    static EtcdException unreachable(String message, Throwable cause) {
        return new EtcdException(UNAVAILABLE, message, cause);
    }

    static EtcdException of(int code, String message, Throwable cause) {
        return new EtcdException(code, message, cause);
    }

    /** From the gateway's error body {@code {"error":..., "message":..., "code": <gRPC code>}}. */
    static EtcdException fromError(String where, int httpStatus, JsonNode error) {
        int code = error.path("code").asInt(error.path("grpc_code").asInt(httpStatus >= 500 ? UNAVAILABLE : UNKNOWN));
        String message = error.path("message").asText(error.path("error").asText("HTTP " + httpStatus));
        return new EtcdException(code, where + ": " + message, null);
    }

    int code() {
        return code;
    }

    /** The requested revision was compacted away: the caller must read the current state afresh. */
    boolean compacted() {
        return code == OUT_OF_RANGE;
    }

    @Override
    public boolean isPermanent() {
        return !(code == UNAVAILABLE || code == DEADLINE_EXCEEDED || code == ABORTED || code == RESOURCE_EXHAUSTED
                || code == CANCELLED);
    }
}
