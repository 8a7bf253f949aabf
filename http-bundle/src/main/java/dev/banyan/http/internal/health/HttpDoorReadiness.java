package dev.banyan.http.internal.health;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.service.http.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.http.runtime.dto.RuntimeDTO;
import org.osgi.service.http.runtime.dto.ServletContextDTO;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;

import dev.banyan.http.api.BanyanHttp;
import dev.banyan.http.internal.HttpSettings;
import dev.banyan.schema.api.ReadinessCheck;

/**
 * [R11] The HTTP door as part of the node's readiness: not ready unless Pax Web listens on an
 * endpoint, Banyan's servlet context is registered, every servlet a Banyan bundle registered for it
 * is in it (a whiteboard restart can lose one), and the JAAS realm that checks credentials exists.
 * Registered while the http bundle runs, so a node without it is judged by its groups alone.
 */
@Component(service = ReadinessCheck.class, immediate = true)
public final class HttpDoorReadiness implements ReadinessCheck {

    private static final int CONNECT_TIMEOUT_MS = 500;

    private final BundleContext context;
    private final HttpSettings settings;

    @Activate
    public HttpDoorReadiness(BundleContext context, @Reference HttpSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public String notReady() {
        try {
            ServiceReference<HttpServiceRuntime> reference = context.getServiceReference(HttpServiceRuntime.class);
            HttpServiceRuntime runtime = reference == null ? null : context.getService(reference);
            if (runtime == null) {
                return "HTTP: no HTTP Whiteboard runtime (Pax Web) is running";
            }
            try {
                String problem = listening(endpoints(reference.getProperty(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT)));
                if (problem == null) {
                    problem = registered(runtime.getRuntimeDTO());
                }
                return problem != null ? problem : realm();
            } finally {
                context.ungetService(reference);
            }
        } catch (RuntimeException e) {
            return "HTTP: cannot tell whether the HTTP door serves: " + e;
        }
    }

    /** Null if something accepts connections on one of {@code endpoints}. */
    private static String listening(List<String> endpoints) {
        if (endpoints.isEmpty()) {
            return "HTTP: Pax Web has no endpoint: nothing listens (see its log and etc/org.ops4j.pax.web.cfg)";
        }
        for (String endpoint : endpoints) {
            // Pax Web publishes scheme://host:port/ per listening connector, and "/" while none is started.
            int scheme = endpoint.indexOf("://");
            String hostPort = scheme < 0 ? "" : endpoint.substring(scheme + 3).replaceAll("/.*$", "");
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                continue;
            }
            try {
                InetAddress host = InetAddress.getByName(hostPort.substring(0, colon).replace("[", "").replace("]", ""));
                if (host.isAnyLocalAddress()) {
                    host = InetAddress.getLoopbackAddress();
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))), CONNECT_TIMEOUT_MS);
                    return null;
                }
            } catch (IOException | IllegalArgumentException notListening) {
                // the next endpoint may listen
            }
        }
        return "HTTP: nothing listens on " + String.join(", ", endpoints) + " (see the Pax Web log and "
                + "etc/org.ops4j.pax.web.cfg)";
    }

    /** Null if Banyan's context is registered with every servlet a Banyan bundle registered for it. */
    private String registered(RuntimeDTO runtime) {
        ServletContextDTO banyan = Arrays.stream(runtime.servletContextDTOs).filter(c -> BanyanHttp.CONTEXT_NAME.equals(c.name))
                .findFirst().orElse(null);
        if (banyan == null) {
            return "HTTP: servlet context " + BanyanHttp.CONTEXT_NAME + " is not registered with Pax Web";
        }
        Set<Long> ids = Arrays.stream(banyan.servletDTOs).map(s -> s.serviceId).collect(Collectors.toSet());
        Set<String> names = Arrays.stream(banyan.servletDTOs).map(s -> s.name).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (ServiceReference<Servlet> servlet : banyanServlets()) {
            Object name = servlet.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME);
            if (!ids.contains((Long) servlet.getProperty("service.id")) && (name == null || !names.contains(name))) {
                missing.add((name != null ? name : "service " + servlet.getProperty("service.id")) + " of "
                        + servlet.getBundle().getSymbolicName() + " " + Arrays.toString(patterns(servlet)));
            }
        }
        return missing.isEmpty() ? null : "HTTP: servlet(s) not registered with Pax Web: " + String.join(", ", missing);
    }

    private List<ServiceReference<Servlet>> banyanServlets() {
        try {
            return context.getServiceReferences(Servlet.class, "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "="
                    + BanyanHttp.CONTEXT_SELECT.replace("(", "\\(").replace(")", "\\)") + ")").stream()
                    .filter(r -> r.getBundle() != null && r.getBundle().getSymbolicName().startsWith("dev.banyan.")).toList();
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("the servlet filter is a constant", e);
        }
    }

    private static String[] patterns(ServiceReference<?> servlet) {
        Object patterns = servlet.getProperty(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN);
        return patterns instanceof String[] array ? array : new String[] {String.valueOf(patterns)};
    }

    /** Null if the JAAS realm of {@code realm} exists, or if this JVM has no JAAS configuration to ask. */
    private String realm() {
        String realm = settings.current().realm();
        AppConfigurationEntry[] entries;
        try {
            entries = Configuration.getConfiguration().getAppConfigurationEntry(realm);
        } catch (RuntimeException noJaas) {
            return null;
        }
        return entries != null && entries.length > 0 ? null
                : "HTTP: JAAS realm " + realm + " is not registered: no credentials can be checked";
    }

    private static List<String> endpoints(Object property) {
        if (property instanceof String text) {
            return List.of(text);
        }
        if (property instanceof String[] texts) {
            return List.of(texts);
        }
        if (property instanceof Collection<?> collection) {
            return collection.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
