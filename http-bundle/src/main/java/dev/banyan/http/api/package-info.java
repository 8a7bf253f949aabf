/**
 * For bundles that add HTTP endpoints beside Banyan's own (for example the Prometheus query API):
 * register a {@code javax.servlet.Servlet} on the OSGi HTTP Whiteboard, select Banyan's servlet
 * context with {@link dev.banyan.http.api.BanyanHttp#CONTEXT_SELECT} to get the same authentication,
 * request metrics and listening address as every other endpoint, and extend
 * {@link dev.banyan.http.api.ApiServlet} so a client's mistake is answered with a 4xx naming it and
 * only a server fault with a 5xx, in the Prometheus JSON envelope unless the servlet says otherwise.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.banyan.http.api;
