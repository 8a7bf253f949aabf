package dev.banyan.http.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.banyan.http.internal.FormRequest;
import dev.banyan.initerror.Permanent;
import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.InvalidSchemaException;
import dev.banyan.schema.api.SchemaException;
import dev.banyan.server.api.GroupNotServingException;
import dev.banyan.server.api.InvalidPointException;

/**
 * Base of every Banyan endpoint: the one place that turns a failure into a response, and that
 * names the endpoint (its servlet path) for the request metrics. A handler
 * ({@code doGet}, {@code doPost}, ...) throws {@link ApiException} for what it refuses; the server
 * API's {@link InvalidPointException} and the schema's {@link InvalidSchemaException} become 400
 * {@code bad_data}; {@link GroupNotServingException} and a {@link SchemaException} whose cause says
 * it is transient (the registry's backend cannot be reached: {@link PermanentErrors}) 503
 * {@code unavailable}, which senders retry; anything else is a server fault, logged with its stack
 * trace and answered 500 {@code internal}. A method the servlet does not override is 405.
 * <p>
 * Parameters ({@code getParameter}) are read by Banyan, not the container: the query string and a
 * POSTed form of up to {@value FormRequest#MAX_FORM_BYTES} bytes (413 beyond), see {@link FormRequest}.
 * <p>
 * Errors are written in the Prometheus HTTP API envelope,
 * {@code {"status":"error","errorType":"bad_data","error":"..."}}; a protocol with another
 * convention overrides {@link #writeError}.
 */
public abstract class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** What a 503 asks a client to wait before retrying (components restart within seconds). */
    private static final String RETRY_AFTER_SECONDS = "1";

    /** Writes one JSON value with Jackson's streaming generator. */
    @FunctionalInterface
    public interface JsonBody {
        void write(JsonGenerator json) throws IOException;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        request.setAttribute(BanyanHttp.ENDPOINT_ATTRIBUTE, request.getServletPath());
        try {
            super.service(new FormRequest(request), response);
        } catch (ApiException e) {
            fail(request, response, e);
        } catch (InvalidPointException | InvalidSchemaException e) {
            fail(request, response, ApiException.badData(e.getMessage()));
        } catch (GroupNotServingException e) {
            fail(request, response, ApiException.unavailable(e.getMessage(), e));
        } catch (SchemaException e) {
            if (!isTransient(e)) {
                LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
                fail(request, response, new ApiException(500, "internal", "internal error: " + e.getMessage(), e));
            } else {
                fail(request, response, ApiException.unavailable("the schema registry cannot make the change now: "
                        + e.getMessage() + "; retry later", e));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            fail(request, response, new ApiException(500, "internal", "internal error: " + e, e));
        }
    }

    /** Whether something in the cause chain classifies the failure and says retrying can help. */
    private static boolean isTransient(Throwable e) {
        return PermanentErrors.find(e, Permanent.class).isPresent() && !PermanentErrors.isPermanent(e);
    }

    private void fail(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        if (e.status() >= 500) {
            LOG.warn("{} {} answered {}: {}", request.getMethod(), request.getRequestURI(), e.status(), e.getMessage());
        } else {
            LOG.debug("{} {} answered {}: {}", request.getMethod(), request.getRequestURI(), e.status(), e.getMessage());
        }
        if (response.isCommitted()) {
            return; // the status line is gone already; the client sees a truncated body
        }
        response.reset();
        if (e.status() == 503) {
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        writeError(request, response, e);
    }

    /**
     * {@code service}, or 503 {@code unavailable} (with Retry-After) naming {@code what} while it is
     * away: a node whose components start or restart is not serving yet, which a client must retry,
     * never a 404 that tells it the endpoint does not exist.
     *
     * @throws ApiException 503 when {@code service} is null
     */
    protected static <T> T serving(T service, String what) {
        if (service == null) {
            throw ApiException.unavailable("Banyan is not serving: " + what + " is not running (starting or restarting); "
                    + "retry", null);
        }
        return service;
    }

    /** Writes the error response; the default is the Prometheus JSON envelope with the exception's status. */
    protected void writeError(HttpServletRequest request, HttpServletResponse response, ApiException error) throws IOException {
        writeJson(response, error.status(), json -> {
            json.writeStartObject();
            json.writeStringField("status", "error");
            json.writeStringField("errorType", error.errorType());
            json.writeStringField("error", error.getMessage());
            json.writeEndObject();
        });
    }

    /** Writes {@code text} and a newline as {@code text/plain; charset=utf-8} with {@code status}. */
    protected static void writeText(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code {"status":"success","data":<data>}} with status 200. */
    protected static void writeSuccess(HttpServletResponse response, JsonBody data) throws IOException {
        writeJson(response, 200, json -> {
            json.writeStartObject();
            json.writeStringField("status", "success");
            json.writeFieldName("data");
            data.write(json);
            json.writeEndObject();
        });
    }

    /** Writes one JSON document as {@code application/json} with {@code status}. */
    protected static void writeJson(HttpServletResponse response, int status, JsonBody body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        OutputStream out = response.getOutputStream();
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(json);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        throw notAllowed(request);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        throw notAllowed(request);
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        throw notAllowed(request);
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        throw notAllowed(request);
    }

    private static ApiException notAllowed(HttpServletRequest request) {
        return new ApiException(405, "method_not_allowed", "method " + request.getMethod() + " is not allowed on "
                + request.getRequestURI());
    }
}
