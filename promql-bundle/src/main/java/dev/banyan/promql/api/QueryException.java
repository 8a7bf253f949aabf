package dev.banyan.promql.api;

/**
 * A query that cannot be answered; its {@link ErrorType} is the class the Prometheus HTTP API
 * reports ({@code errorType}) and decides the HTTP status.
 */
public class QueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The error classes of the Prometheus HTTP API, with their HTTP status. */
    public enum ErrorType {
        /** The request or the expression is malformed, or uses an unsupported feature: 400. */
        BAD_DATA("bad_data", 400),
        /** The expression is valid but its evaluation failed (for example many-to-many matching): 422. */
        EXECUTION("execution", 422),
        /** The query ran longer than the configured timeout: 503. */
        TIMEOUT("timeout", 503),
        /** The storage cannot answer right now (a group is not serving); retrying later may succeed: 503. */
        UNAVAILABLE("unavailable", 503),
        /** The storage failed: 500. */
        INTERNAL("internal", 500);

        private final String apiName;
        private final int httpStatus;

        ErrorType(String apiName, int httpStatus) {
            this.apiName = apiName;
            this.httpStatus = httpStatus;
        }

        /** The {@code errorType} string of the Prometheus API. */
        public String apiName() {
            return apiName;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final ErrorType type;

    public QueryException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public QueryException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}
