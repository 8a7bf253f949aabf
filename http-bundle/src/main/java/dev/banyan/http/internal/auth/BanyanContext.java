package dev.banyan.http.internal.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.http.api.BanyanHttp;
import dev.banyan.http.internal.HttpSettings;
import dev.banyan.http.internal.QueryString;
import dev.banyan.http.internal.Settings;
import dev.banyan.http.internal.influx.InfluxErrors;
import dev.banyan.http.internal.metrics.HttpMetrics;

/**
 * Banyan's servlet context at {@code /}: authenticates every request before any servlet or filter
 * of the context sees it (OSGi HTTP Whiteboard {@code handleSecurity}). Paths listed in
 * {@code anonymousPaths} pass without credentials. Anything else without valid credentials is
 * answered 401 with {@code WWW-Authenticate: Basic realm="Banyan"} and never reaches a servlet.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE)
@HttpWhiteboardContext(name = BanyanHttp.CONTEXT_NAME, path = "/")
public final class BanyanContext extends ServletContextHelper {

    private static final Logger LOG = LoggerFactory.getLogger(BanyanContext.class);

    private final HttpSettings settings;
    private final HttpMetrics metrics;
    private final Authenticator authenticator;

    @Activate
    public BanyanContext(@Reference HttpSettings settings, @Reference PasswordRealm realm, @Reference HttpMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.authenticator = new Authenticator(realm, System::currentTimeMillis);
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Settings current = settings.current();
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (current.anonymousPaths().contains(path)) {
            return true;
        }
        Map<String, String> query = QueryString.parse(request.getQueryString());
        try {
            Authenticator.Principal principal = authenticator.authenticate(current, request.getHeader("Authorization"),
                    query.get("u"), query.get("p"));
            request.setAttribute(REMOTE_USER, principal.name());
            request.setAttribute(AUTHENTICATION_TYPE, principal.scheme());
            return true;
        } catch (Authenticator.Refused e) {
            metrics.authFailed();
            LOG.debug("{} {} from {}: 401 {}", request.getMethod(), path, request.getRemoteAddr(), e.getMessage());
            response.setHeader("WWW-Authenticate", "Basic realm=\"Banyan\"");
            refuse(response, path, 401, e.getMessage());
            return false;
        } catch (IllegalStateException e) {
            LOG.error("{} {}: {}", request.getMethod(), path, e.getMessage(), e);
            refuse(response, path, 503, e.getMessage());
            return false;
        }
    }

    /** Plain text, or InfluxDB's JSON on its endpoints (its clients read nothing else). */
    private static void refuse(HttpServletResponse response, String path, int status, String message) throws IOException {
        if (InfluxErrors.isInfluxPath(path)) {
            InfluxErrors.write(response, path, status, message);
        } else {
            response.setStatus(status);
            response.setContentType("text/plain; charset=utf-8");
            response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
        }
        // Commit now: the container answers an uncommitted refusal with its own 403 page.
        response.flushBuffer();
    }
}
