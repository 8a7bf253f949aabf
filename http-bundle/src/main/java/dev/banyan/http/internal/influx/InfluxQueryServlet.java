package dev.banyan.http.internal.influx;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.api.ApiServlet;
import dev.banyan.http.api.BanyanHttp;

/**
 * {@code GET|POST /query}: InfluxDB 1.x's query endpoint, which the influx CLI and InfluxQL clients
 * call. Banyan does not evaluate InfluxQL: every request is answered 400 in InfluxDB's error shape
 * ({@code {"error":"..."}}, which the CLI prints as {@code ERR: ...}) saying so and where to query
 * instead, rather than a 404 the clients cannot show.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-influx-query")
@HttpWhiteboardServletPattern("/query")
public final class InfluxQueryServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        refuse(request);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        refuse(request);
    }

    private static void refuse(HttpServletRequest request) {
        String q = request.getParameter("q");
        throw ApiException.badData("InfluxQL is not supported by Banyan" + (q == null || q.isBlank() ? "" : " (q=" + q.strip() + ")")
                + ": write with line protocol (/write, /api/v2/write) and query with PromQL (/api/v1/query, "
                + "/api/v1/query_range) or the banyan:query shell command; see the README's HTTP section");
    }

    @Override
    protected void writeError(HttpServletRequest request, HttpServletResponse response, ApiException error) throws IOException {
        InfluxErrors.write(response, request.getServletPath(), error.status(), error.getMessage());
    }
}
