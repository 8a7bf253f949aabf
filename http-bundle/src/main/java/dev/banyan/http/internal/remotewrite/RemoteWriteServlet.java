package dev.banyan.http.internal.remotewrite;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

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

import com.google.protobuf.InvalidProtocolBufferException;

import dev.banyan.http.api.ApiException;
import dev.banyan.http.api.BanyanHttp;
import dev.banyan.http.internal.GroupNames;
import dev.banyan.http.internal.HttpSettings;
import dev.banyan.http.internal.QueryString;
import dev.banyan.http.internal.RequestBodies;
import dev.banyan.http.internal.Settings;
import dev.banyan.http.internal.ingest.IngestBatch;
import dev.banyan.http.internal.ingest.SchemalessWriter;
import dev.banyan.http.internal.ingest.SeriesTextLimit;
import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.Sample;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.http.internal.prompb.WriteRequest;
import dev.banyan.server.api.SchemalessLayout;

/**
 * {@code POST /api/v1/write}: Prometheus remote write 1.0 (https://prometheus.io/docs/concepts/remote_write_spec/).
 * The body is a snappy-compressed (block format) protobuf {@code WriteRequest} sent with
 * {@code Content-Type: application/x-protobuf} and {@code Content-Encoding: snappy}. Each metric
 * ({@code __name__}) is a measure of the group (the configured one, or {@code ?group=}) with one
 * DOUBLE field {@value SchemalessLayout#VALUE_FIELD}; its label set identifies the series (see {@link SchemalessLayout}).
 * <p>
 * All or nothing: every series is checked first, and one that does not fit refuses the whole
 * request. Status codes as the specification asks: 204 once every sample is stored; 4xx (never
 * retried by the sender) for a request that cannot succeed as sent; 5xx for a server fault and 503
 * while a group is not serving (the sender retries).
 */
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(BanyanHttp.CONTEXT_SELECT)
@HttpWhiteboardServletName("banyan-remote-write")
@HttpWhiteboardServletPattern("/api/v1/write")
public final class RemoteWriteServlet extends RemoteProtocolServlet {

    private static final long serialVersionUID = 1L;

    private final transient HttpSettings settings;
    /** Optional: while it restarts with the node's components this endpoint stays and answers 503, never 404. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile SchemalessWriter writer;

    @Activate
    public RemoteWriteServlet(@Reference HttpSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) {
        Settings current = settings.current();
        byte[] body = RequestBodies.readSnappyProtobuf(request, current.maxRequestBytes(), "prometheus.WriteRequest");
        WriteRequest write;
        try {
            write = WriteRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw ApiException.badData("the body is not a protobuf WriteRequest: " + e.getMessage());
        }
        String group = GroupNames.checked(QueryString.parse(request.getQueryString()).getOrDefault("group", current.group()),
                "group");
        serving(writer, "the measure service").writeAll(group, toBatch(write), "remote_write");
        response.setStatus(204);
    }

    /** Checks every series and groups the samples by metric; the first series that breaks a rule refuses the request. */
    static IngestBatch toBatch(WriteRequest write) {
        IngestBatch batch = new IngestBatch(i -> "series " + i + " " + PrometheusNames.describe(write.getTimeseries(i)));
        Set<String> validNames = new HashSet<>(); // the series of a request repeat their label names: check each once
        for (int i = 0; i < write.getTimeseriesCount(); i++) {
            TimeSeries series = write.getTimeseries(i);
            if (series.getHistogramsCount() > 0) {
                throw ApiException.badData(batch.describe(i) + ": native histograms are not part of remote write 1.0 and are not "
                        + "stored; turn off send_native_histograms");
            }
            String metric = null;
            SortedMap<String, String> labels = new TreeMap<>();
            Set<String> names = new HashSet<>();
            for (Label label : series.getLabelsList()) {
                String name = label.getName();
                if (!names.add(name)) {
                    throw ApiException.badData(batch.describe(i) + ": label " + name + " appears twice");
                }
                if (name.equals(PrometheusNames.METRIC_NAME_LABEL)) {
                    metric = label.getValue();
                } else if (!validNames.contains(name) && !PrometheusNames.isLabelName(name)) {
                    throw ApiException.badData(batch.describe(i) + ": '" + name + "' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, "
                            + "at most 255 characters)");
                } else {
                    validNames.add(name);
                    if (!label.getValue().isEmpty()) {
                        labels.put(name, label.getValue()); // an empty value is the same as no label
                    }
                }
            }
            if (metric == null || metric.isEmpty()) {
                throw ApiException.badData(batch.describe(i) + ": no metric name (label __name__)");
            }
            if (!PrometheusNames.isMetricName(metric)) {
                throw ApiException.badData(batch.describe(i) + ": '" + metric + "' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*, "
                        + "at most 255 characters)");
            }
            String tooLarge = SeriesTextLimit.sizeProblem(metric, labels);
            if (tooLarge != null) {
                throw ApiException.badData(batch.describe(i) + ": " + tooLarge);
            }
            for (Sample sample : series.getSamplesList()) {
                batch.add(metric, labels, sample.getTimestamp(), Map.of(SchemalessLayout.VALUE_FIELD, sample.getValue()), i);
            }
        }
        return batch;
    }
}
