package dev.banyan.http.api;

/**
 * The servlet context every Banyan endpoint lives in. It is registered by the http bundle at path
 * {@code /} and authenticates each request (HTTP Basic against the Karaf JAAS realm, or a bearer
 * token) before any servlet or filter of the context runs; see the README's HTTP section.
 * <p>
 * A whiteboard servlet joins it with the service property
 * {@code osgi.http.whiteboard.context.select = }{@value #CONTEXT_SELECT}, for example with
 * {@code @HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)}.
 */
public final class BanyanHttp {

    /** The value of {@code osgi.http.whiteboard.context.name} of Banyan's servlet context. */
    public static final String CONTEXT_NAME = "dev.banyan.http";

    /** The filter selecting Banyan's servlet context. */
    public static final String CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=" + CONTEXT_NAME + ")";

    /** Request attribute holding the authenticated principal's name (also {@code getRemoteUser()}). */
    public static final String PRINCIPAL_ATTRIBUTE = "org.osgi.service.http.authentication.remote.user";

    /**
     * Request attribute an {@link ApiServlet} sets to its servlet path (e.g. {@code /api/v1/write}):
     * the {@code endpoint} label of the request metrics. Requests no such servlet served count as {@code other}.
     */
    public static final String ENDPOINT_ATTRIBUTE = "dev.banyan.http.endpoint";

    private BanyanHttp() {
    }
}
