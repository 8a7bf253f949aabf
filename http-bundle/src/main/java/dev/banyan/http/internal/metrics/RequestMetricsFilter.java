package dev.banyan.http.internal.metrics;

import java.io.IOException;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardFilterPattern;

import dev.banyan.http.api.BanyanHttp;

/**
 * Counts every authenticated request of Banyan's context and its latency, labelled by the
 * endpoint the serving {@code ApiServlet} names (its servlet path, so the label set stays bounded:
 * anything else counts as {@code other}).
 */
@Component(service = Filter.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardFilterName("banyan-request-metrics")
@HttpWhiteboardFilterPattern("/*")
public final class RequestMetricsFilter implements Filter {

    private final HttpMetrics metrics;

    @Activate
    public RequestMetricsFilter(@Reference HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            Object endpoint = request.getAttribute(BanyanHttp.ENDPOINT_ATTRIBUTE);
            metrics.requestDone(endpoint instanceof String path && !path.isEmpty() ? path : "other", ((HttpServletResponse) response).getStatus(), System.nanoTime() - start);
        }
    }
}
