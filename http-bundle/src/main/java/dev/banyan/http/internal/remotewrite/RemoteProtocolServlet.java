package dev.banyan.http.internal.remotewrite;

import java.io.IOException;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.api.ApiServlet;

/** Prometheus's remote write and read endpoints answer errors in plain text, as Prometheus's own receiver does. */
public abstract class RemoteProtocolServlet extends ApiServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void writeError(HttpServletRequest request, HttpServletResponse response, ApiException error) throws IOException {
        writeText(response, error.status(), error.getMessage());
    }
}
