package dev.banyan.http.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import javax.servlet.http.HttpServletRequest;

import org.xerial.snappy.Snappy;

import dev.banyan.http.api.ApiException;

/**
 * Reads request bodies within the configured limit, before and after decompression, so a large or
 * hostile body (a gzip or snappy bomb) costs at most {@code maxBytes} of heap and is refused with
 * 413.
 */
public final class RequestBodies {

    private static final String CONFIGURED_LIMIT = "maxRequestBytes in etc/" + HttpConfig.PID + ".cfg";

    private RequestBodies() {
    }

    /** The body as sent, refused with 413 beyond {@code maxBytes} and 400 if the client breaks off. */
    public static byte[] read(HttpServletRequest request, long maxBytes) {
        return read(request, maxBytes, CONFIGURED_LIMIT);
    }

    /**
     * The body as sent, refused with 413 beyond {@code maxBytes} (the message names the limit as
     * {@code limitName}) and 400 if the client breaks off.
     */
    public static byte[] read(HttpServletRequest request, long maxBytes, String limitName) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes, "", limitName);
        }
        try (InputStream in = request.getInputStream()) {
            return readLimited(in, maxBytes, "", limitName);
        } catch (IOException e) {
            throw ApiException.badData("could not read the request body: " + e.getMessage());
        }
    }

    /**
     * The body with {@code Content-Encoding: gzip} undone (identity otherwise).
     *
     * @throws ApiException 415 for another encoding, 400 for a damaged gzip stream, 413 when the
     *                      body or its decompressed form exceeds {@code maxBytes}
     */
    public static byte[] readGzipOrIdentity(HttpServletRequest request, long maxBytes) {
        String encoding = request.getHeader("Content-Encoding");
        byte[] body = read(request, maxBytes);
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw ApiException.unsupportedMediaType("Content-Encoding " + encoding + " is not supported: send gzip or no encoding");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return readLimited(in, maxBytes, " once decompressed", CONFIGURED_LIMIT);
        } catch (ZipException e) {
            throw ApiException.badData("the body is not valid gzip (Content-Encoding: gzip): " + e.getMessage());
        } catch (IOException e) {
            throw ApiException.badData("the gzip body is truncated or damaged: " + e.getMessage());
        }
    }

    /**
     * The body of a Prometheus remote write or read: {@code Content-Type: application/x-protobuf},
     * whose {@code proto} parameter, if given, must name {@code message} (remote write 2.0 sends
     * {@code proto=io.prometheus.write.v2.Request}: 415, so that the sender falls back to 1.0, as the
     * remote write 2.0 specification asks), and {@code Content-Encoding: snappy} (else 415); snappy's
     * block format undone within the limit.
     *
     * @param message the protobuf message the endpoint reads, e.g. {@code prometheus.WriteRequest}
     */
    public static byte[] readSnappyProtobuf(HttpServletRequest request, long maxBytes, String message) {
        String type = request.getContentType();
        String[] parts = type == null ? new String[] {""} : type.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/x-protobuf")) {
            throw ApiException.unsupportedMediaType("Content-Type must be application/x-protobuf (a snappy-compressed "
                    + "protobuf " + message + "), got " + (type == null ? "none" : type));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].strip().equalsIgnoreCase("proto") && parameter.length == 2
                    && !parameter[1].strip().replace("\"", "").equals(message)) {
                throw ApiException.unsupportedMediaType("Content-Type " + type + ": this endpoint reads only proto=" + message
                        + " (Prometheus remote write 1.0); send that message, e.g. remote_write protobuf_message: "
                        + message);
            }
        }
        String encoding = request.getHeader("Content-Encoding");
        if (encoding == null || !encoding.strip().equalsIgnoreCase("snappy")) {
            throw ApiException.unsupportedMediaType("Content-Encoding must be snappy, got " + (encoding == null ? "none" : encoding));
        }
        return unsnappy(read(request, maxBytes), maxBytes);
    }

    /**
     * Undoes snappy's block format (not the framed stream), as remote write and read use it.
     *
     * @throws ApiException 400 for a body that is not snappy, 413 when it would decompress beyond {@code maxBytes}
     */
    public static byte[] unsnappy(byte[] body, long maxBytes) {
        try {
            int length = Snappy.uncompressedLength(body);
            if (length < 0 || length > maxBytes) {
                throw tooLarge(Integer.toUnsignedLong(length), maxBytes, " once decompressed", CONFIGURED_LIMIT);
            }
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw ApiException.badData("the body is not snappy-compressed (block format) data");
            }
            return Snappy.uncompress(body);
        } catch (IOException e) {
            throw ApiException.badData("the body is not snappy-compressed (block format) data: " + e.getMessage());
        }
    }

    private static byte[] readLimited(InputStream in, long maxBytes, String stage, String limitName) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
        if (bytes.length > maxBytes) {
            throw tooLarge(-1, maxBytes, stage, limitName);
        }
        return bytes;
    }

    private static ApiException tooLarge(long size, long maxBytes, String stage, String limitName) {
        return ApiException.tooLarge("the request body" + stage + " is " + (size < 0 ? "larger than " + maxBytes : size)
                + " bytes; the limit is " + maxBytes + " bytes (" + limitName + ")");
    }
}
