package dev.banyan.http.internal.health;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.banyan.http.api.ApiServlet;
import dev.banyan.http.api.BanyanHttp;
import dev.banyan.schema.api.Readiness;
import dev.banyan.server.api.MeasureService;

/**
 * {@code GET|HEAD /-/healthy}: 200 while the process answers HTTP. {@code GET|HEAD /-/ready}: 200
 * only while the server can serve every group (every group of the registry SERVING with its
 * storage), else 503 naming each group that is not and why. Both are anonymous by default.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-health")
@HttpWhiteboardServletPattern({ "/-/healthy", "/-/ready" })
public final class HealthServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile MeasureService measures;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getServletPath().equals("/-/healthy")) {
            writeText(response, 200, "Banyan is Healthy.");
            return;
        }
        String problem = notReady();
        if (problem == null) {
            writeText(response, 200, "Banyan is Ready.");
        } else {
            writeText(response, 503, "Banyan is not ready: " + problem);
        }
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }

    /** Null when ready; else why not. The node's one readiness state, as banyan:status and JMX report it. */
    private String notReady() {
        MeasureService service = measures;
        if (service == null) {
            return "the measure service is not running";
        }
        Readiness readiness = service.readiness();
        return readiness.ready() ? null : readiness.reason();
    }
}
