package dev.banyan.http.internal.influx;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import dev.banyan.http.api.ApiServlet;
import dev.banyan.http.api.BanyanHttp;

/**
 * {@code GET|HEAD /ping}: 204 with {@code X-Influxdb-Version}, which InfluxDB clients (the influx CLI,
 * Telegraf) read to learn they talk to a 1.x-compatible write endpoint. Anonymous by default, as in InfluxDB.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-influx-ping")
@HttpWhiteboardServletPattern("/ping")
public final class PingServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    /** The InfluxDB API version whose write endpoint Banyan implements. */
    static final String INFLUXDB_VERSION = "1.8.10";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("X-Influxdb-Version", INFLUXDB_VERSION);
        response.setHeader("X-Influxdb-Build", "Banyan");
        response.setStatus(204);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) {
        doGet(request, response);
    }
}
