package dev.banyan.http.api;

/**
 * A request that cannot be served, with the HTTP status and the error type that say why. Thrown
 * by an {@link ApiServlet}'s handler, it becomes the response; nothing else of the request
 * happens. A 4xx names what the client sent wrong and where; retrying it unchanged fails again.
 * <p>
 * Error types are the Prometheus HTTP API's: {@code bad_data} (400), {@code not_found} (404),
 * {@code execution} (422), {@code unavailable} (503), {@code timeout} (503), {@code internal} (500);
 * Banyan adds {@code unauthorized} (401), {@code method_not_allowed} (405), {@code unsupported_media_type}
 * (415) and {@code too_large} (413).
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorType;

    public ApiException(int status, String errorType, String message) {
        this(status, errorType, message, null);
    }

    public ApiException(int status, String errorType, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorType = errorType;
    }

    /** 400: the request (its body, a parameter, a value in it) is malformed or refused; the message says where. */
    public static ApiException badData(String message) {
        return new ApiException(400, "bad_data", message);
    }

    /** 404: the request names something (a group, a database) that does not exist. */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** 413: the body is larger than the configured limit (compressed or once decompressed). */
    public static ApiException tooLarge(String message) {
        return new ApiException(413, "too_large", message);
    }

    /** 415: the body's Content-Type or Content-Encoding is not one the endpoint reads. */
    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "unsupported_media_type", message);
    }

    /** 503: the server cannot serve the request right now (a group is not serving); retrying later may succeed. */
    public static ApiException unavailable(String message, Throwable cause) {
        return new ApiException(503, "unavailable", message, cause);
    }

    public int status() {
        return status;
    }

    public String errorType() {
        return errorType;
    }
}
