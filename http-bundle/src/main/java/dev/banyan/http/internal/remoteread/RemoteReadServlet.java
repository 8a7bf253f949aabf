package dev.banyan.http.internal.remoteread;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.xerial.snappy.Snappy;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.api.BanyanHttp;
import dev.banyan.http.internal.GroupNames;
import dev.banyan.http.internal.HttpSettings;
import dev.banyan.http.internal.QueryString;
import dev.banyan.http.internal.RequestBodies;
import dev.banyan.http.internal.Settings;
import dev.banyan.http.internal.prompb.Query;
import dev.banyan.http.internal.prompb.QueryResult;
import dev.banyan.http.internal.prompb.ReadRequest;
import dev.banyan.http.internal.prompb.ReadResponse;
import dev.banyan.http.internal.remotewrite.RemoteProtocolServlet;

/**
 * {@code POST /api/v1/read}: Prometheus remote read (the protocol Prometheus 2.42 speaks with
 * {@code remote_read}): a snappy-compressed protobuf {@code ReadRequest} of queries, each a time
 * range (ms, both ends included) and label matchers ({@code =}, {@code !=}, {@code =~}, {@code !~});
 * the answer is a snappy-compressed {@code ReadResponse} with one result per query, in order, each
 * holding whole series with their samples (response type SAMPLES; a request accepting only
 * STREAMED_XOR_CHUNKS is refused with 400). Reads the configured group (no series while nothing has
 * created it), or {@code ?group=}: an invalid name is 400 and a group that does not exist 404, as a
 * write naming it would be refused. A query whose end is before its start is 400.
 * A request whose answer would hold more than {@code maxReadSamples} samples is refused with 400.
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-remote-read")
@HttpWhiteboardServletPattern("/api/v1/read")
public final class RemoteReadServlet extends RemoteProtocolServlet {

    private static final long serialVersionUID = 1L;

    private final transient HttpSettings settings;
    /** Optional: while it restarts with the node's components this endpoint stays and answers 503, never 404. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile PrometheusSeries series;

    @Activate
    public RemoteReadServlet(@Reference HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Settings current = settings.current();
        ReadRequest read;
        try {
            read = ReadRequest.parseFrom(RequestBodies.readSnappyProtobuf(request, current.maxRequestBytes(), "prometheus.ReadRequest"));
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badData("the body is not a protobuf ReadRequest: " + e.getMessage());
        }
        if (read.getAcceptedResponseTypesCount() > 0 && !read.getAcceptedResponseTypesList().contains(ReadRequest.ResponseType.SAMPLES)) {
            throw ApiException.badData("only the SAMPLES response type is served; the request accepts "
                    + read.getAcceptedResponseTypesList());
        }
        String named = QueryString.parse(request.getQueryString()).get("group");
        String group = named == null ? current.group() : GroupNames.checked(named, "group");
        if (named != null && !series.groupExists(group)) {
            throw ApiException.notFound("group " + group + " does not exist");
        }
        PrometheusSeries.Budget budget = new PrometheusSeries.Budget(current.maxReadSamples());
        ReadResponse.Builder answer = ReadResponse.newBuilder();
        for (int i = 0; i < read.getQueriesCount(); i++) {
            Query query = read.getQueries(i);
            if (query.getEndTimestampMs() < query.getStartTimestampMs()) {
                throw ApiException.badData("query " + i + ": end_timestamp_ms " + query.getEndTimestampMs()
                        + " is before start_timestamp_ms " + query.getStartTimestampMs());
            }
            answer.addResults(QueryResult.newBuilder().addAllTimeseries(serving(series, "the measure service").select(group, query.getMatchersList(),
                    query.getStartTimestampMs(), query.getEndTimestampMs(), budget, "query " + i)));
        }
        byte[] body = Snappy.compress(answer.build().toByteArray());
        response.setStatus(200);
        response.setContentType("application/x-protobuf");
        response.setHeader("Content-Encoding", "snappy");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
