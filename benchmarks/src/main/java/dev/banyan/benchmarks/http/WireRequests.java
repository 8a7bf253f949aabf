package dev.banyan.benchmarks.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.xerial.snappy.Snappy;

import dev.banyan.http.internal.prompb.Label;
import dev.banyan.http.internal.prompb.Sample;
import dev.banyan.http.internal.prompb.TimeSeries;
import dev.banyan.http.internal.prompb.WriteRequest;

/**
 * A data set encoded once into request bodies, so every server gets the same bytes and no server's
 * figure includes the encoding: Prometheus remote write 1.0 (a {@code WriteRequest} per batch,
 * snappy block format) and InfluxDB line protocol (gzip, as Telegraf sends by default).
 */
final class WireRequests {

    /** One request body and the samples it carries. */
    record Body(byte[] bytes, int samples) {
    }

    private WireRequests() {
    }

    /**
     * One {@code WriteRequest} per batch of the data set: a {@code TimeSeries} per series present in
     * the batch (in order of first appearance, labels sorted by name, {@code __name__} first), its
     * samples in arrival order.
     */
    static List<Body> remoteWrite(WireData data) {
        int seriesCount = data.seriesCount();
        List<List<Label>> labels = new ArrayList<>(seriesCount);
        for (int s = 0; s < seriesCount; s++) {
            List<Label> of = new ArrayList<>();
            of.add(Label.newBuilder().setName("__name__").setValue(data.metric()).build());
            for (int l = 0; l < data.labelNames().length; l++) {
                of.add(Label.newBuilder().setName(data.labelNames()[l]).setValue(data.labels()[l][s]).build());
            }
            labels.add(of);
        }
        int[] batchOf = new int[seriesCount]; // 1 + the batch that last created the series' TimeSeries
        int[] slot = new int[seriesCount];
        List<Body> bodies = new ArrayList<>();
        for (int first = 0, b = 1; first < data.samples(); first += data.batch(), b++) {
            int end = Math.min(data.samples(), first + data.batch());
            List<TimeSeries.Builder> series = new ArrayList<>();
            for (int k = first; k < end; k++) {
                int s = data.series()[k];
                if (batchOf[s] != b) {
                    batchOf[s] = b;
                    slot[s] = series.size();
                    series.add(TimeSeries.newBuilder().addAllLabels(labels.get(s)));
                }
                series.get(slot[s]).addSamples(Sample.newBuilder().setTimestamp(data.times()[k]).setValue(data.values()[k]));
            }
            WriteRequest.Builder request = WriteRequest.newBuilder();
            series.forEach(request::addTimeseries);
            try {
                bodies.add(new Body(Snappy.compress(request.build().toByteArray()), end - first));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bodies;
    }

    /** Line protocol, one gzip body per batch: {@code metric,tag=v,... value=<double> <ms>} per sample, tags sorted. */
    static List<Body> lineProtocol(WireData data) {
        String[] prefix = new String[data.seriesCount()];
        for (int s = 0; s < prefix.length; s++) {
            StringBuilder line = new StringBuilder(data.metric());
            for (int l = 0; l < data.labelNames().length; l++) {
                line.append(',').append(data.labelNames()[l]).append('=').append(data.labels()[l][s]);
            }
            prefix[s] = line.append(" value=").toString();
        }
        List<Body> bodies = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int first = 0; first < data.samples(); first += data.batch()) {
            int end = Math.min(data.samples(), first + data.batch());
            text.setLength(0);
            for (int k = first; k < end; k++) {
                text.append(prefix[data.series()[k]]).append(data.values()[k]).append(' ').append(data.times()[k]).append('\n');
            }
            ByteArrayOutputStream gzip = new ByteArrayOutputStream(text.length() / 4);
            try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bodies.add(new Body(gzip.toByteArray(), end - first));
        }
        return bodies;
    }

    static long bytes(List<Body> bodies) {
        return bodies.stream().mapToLong(b -> b.bytes().length).sum();
    }
}
