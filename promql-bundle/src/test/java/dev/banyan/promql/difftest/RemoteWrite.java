package dev.banyan.promql.difftest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.xerial.snappy.Snappy;

import com.google.protobuf.CodedOutputStream;

import dev.banyan.promql.api.Series;

/**
 * Sends series to a Prometheus remote-write 1.0 receiver (snappy-compressed protobuf
 * {@code WriteRequest}), in time slices across all series so that every request stays inside a
 * receiver's in-order append window. The same bytes go to every receiver.
 */
public final class RemoteWrite {

    private static final long SLICE_MS = 10 * 60_000L;

    private RemoteWrite() {
    }

    /** The requests for {@code series}: one per 10-minute slice, samples in order. */
    public static List<byte[]> encode(List<Series> series) throws IOException {
        long fromMs = series.stream().filter(s -> s.size() > 0).mapToLong(s -> s.timestamps()[0]).min().orElse(0);
        long toMs = series.stream().filter(s -> s.size() > 0).mapToLong(s -> s.timestamps()[s.size() - 1]).max().orElse(0);
        List<byte[]> requests = new ArrayList<>();
        for (long slice = fromMs; slice <= toMs; slice += SLICE_MS) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            CodedOutputStream request = CodedOutputStream.newInstance(body);
            for (Series s : series) {
                ByteArrayOutputStream ts = new ByteArrayOutputStream();
                CodedOutputStream timeSeries = CodedOutputStream.newInstance(ts);
                for (Map.Entry<String, String> label : s.labels().toMap().entrySet()) {
                    ByteArrayOutputStream l = new ByteArrayOutputStream();
                    CodedOutputStream labelOut = CodedOutputStream.newInstance(l);
                    labelOut.writeString(1, label.getKey());
                    labelOut.writeString(2, label.getValue());
                    labelOut.flush();
                    timeSeries.writeByteArray(1, l.toByteArray());
                }
                int samples = 0;
                for (int i = 0; i < s.size(); i++) {
                    long t = s.timestamps()[i];
                    if (t >= slice && t < slice + SLICE_MS) {
                        ByteArrayOutputStream sm = new ByteArrayOutputStream();
                        CodedOutputStream sample = CodedOutputStream.newInstance(sm);
                        sample.writeDouble(1, s.values()[i]);
                        sample.writeInt64(2, t);
                        sample.flush();
                        timeSeries.writeByteArray(2, sm.toByteArray());
                        samples++;
                    }
                }
                timeSeries.flush();
                if (samples > 0) {
                    request.writeByteArray(1, ts.toByteArray());
                }
            }
            request.flush();
            if (body.size() > 0) {
                requests.add(Snappy.compress(body.toByteArray()));
            }
        }
        return requests;
    }

    /** Posts every request; fails on any status but 2xx. */
    public static void send(HttpClient client, URI endpoint, List<byte[]> requests, String authorization)
            throws IOException, InterruptedException {
        for (byte[] body : requests) {
            HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> response = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("remote write to " + endpoint + " failed: " + response.statusCode() + " " + response.body());
            }
        }
    }
}
