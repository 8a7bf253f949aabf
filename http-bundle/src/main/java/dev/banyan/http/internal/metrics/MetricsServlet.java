package dev.banyan.http.internal.metrics;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.banyan.http.api.ApiServlet;
import dev.banyan.http.api.BanyanHttp;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;

/** {@code GET /metrics}: every metric of {@link HttpMetrics} in the Prometheus text format 0.0.4. */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-metrics")
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    private final transient HttpMetrics metrics;
    private final transient PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    @Activate
    public MetricsServlet(@Reference HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(200);
        response.setContentType(writer.getContentType());
        writer.write(response.getOutputStream(), metrics.registry().scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
}
