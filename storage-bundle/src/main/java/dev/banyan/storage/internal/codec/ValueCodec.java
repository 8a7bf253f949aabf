package dev.banyan.storage.internal.codec;

/**
 * Field values. Gauges are usually decimals with a few digits: if every value of a block times
 * 10^k is an exact integer (k <= 9), the integers' deltas are zigzagged and bit-packed (2-decimal
 * noise in [-1, 1] costs 8 bits a value). Otherwise doubles fall back to XOR with the previous
 * value, written without its zero bytes. Long fields are delta-packed directly.
 */
public final class ValueCodec {

    private static final int DECIMAL = 1;
    private static final int XOR = 2;
    private static final int LONG_DELTA = 3;
    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final double MAX_EXACT = 9.007199254740992E15; // 2^53

    private ValueCodec() {
    }

    /** Doubles, given as raw bits. */
    public static void encodeDoubles(ByteSink out, long[] bits, int count, long[] scratch) {
        encodeDoubles(out, bits, count, scratch, -1);
    }

    /**
     * @param scaleHint the scale the previous block of the series used, or -1: tried first, since
     *                  a series keeps its number of decimals
     * @return the decimal scale used, or -1 for the XOR fallback
     */
    public static int encodeDoubles(ByteSink out, long[] bits, int count, long[] scratch, int scaleHint) {
        int scale = scaleHint >= 0 && exactAtAll(bits, count, scaleHint)
                && (scaleHint == 0 || !exactAtAll(bits, count, scaleHint - 1)) ? scaleHint : decimalScale(bits, count);
        if (scale < 0) {
            out.writeByte(XOR);
            long prev = 0;
            for (int i = 0; i < count; i++) {
                long x = bits[i] ^ prev;
                prev = bits[i];
                int lead = Long.numberOfLeadingZeros(x) / 8;
                int trail = x == 0 ? 0 : Long.numberOfTrailingZeros(x) / 8;
                int len = x == 0 ? 0 : 8 - lead - trail;
                out.writeByte((trail << 4) | len);
                for (int b = 0; b < len; b++) {
                    out.writeByte((int) (x >>> (8 * (trail + b))));
                }
            }
            return -1;
        }
        out.writeByte(DECIMAL);
        out.writeByte(scale);
        long prev = Math.round(Double.longBitsToDouble(bits[0]) * POW10[scale]);
        out.writeZigZag(prev);
        for (int i = 1; i < count; i++) {
            long v = Math.round(Double.longBitsToDouble(bits[i]) * POW10[scale]);
            long d = v - prev;
            scratch[i - 1] = (d << 1) ^ (d >> 63);
            prev = v;
        }
        BitPacking.write(out, scratch, 0, count - 1);
        return scale;
    }

    private static boolean exactAtAll(long[] bits, int count, int scale) {
        for (int i = 0; i < count; i++) {
            if (!exactAt(bits[i], scale)) {
                return false;
            }
        }
        return true;
    }

    public static void encodeLongs(ByteSink out, long[] values, int count, long[] scratch) {
        out.writeByte(LONG_DELTA);
        out.writeZigZag(values[0]);
        for (int i = 1; i < count; i++) {
            long d = values[i] - values[i - 1];
            scratch[i - 1] = (d << 1) ^ (d >> 63);
        }
        BitPacking.write(out, scratch, 0, count - 1);
    }

    /** Decodes into raw bits (doubles) or plain longs, whichever was encoded. */
    public static void decode(ByteSource in, long[] into, int count) {
        decode(in, into, count, 0, count);
    }

    /**
     * Like {@link #decode(ByteSource, long[], int)}, but only slots [{@code from}, {@code to}) are
     * guaranteed to hold values: decimal blocks skip the (exact, hence costly) division elsewhere.
     */
    public static void decode(ByteSource in, long[] into, int count, int from, int to) {
        int kind = in.readByte();
        switch (kind) {
            case XOR -> {
                long prev = 0;
                for (int i = 0; i < count; i++) {
                    int header = in.readByte();
                    int trail = header >>> 4;
                    int len = header & 0x0F;
                    if (trail + len > 8) {
                        throw new CorruptDataException("bad XOR header at byte " + (in.position() - 1));
                    }
                    long x = 0;
                    for (int b = 0; b < len; b++) {
                        x |= (long) in.readByte() << (8 * (trail + b));
                    }
                    prev ^= x;
                    into[i] = prev;
                }
            }
            case DECIMAL -> {
                int scale = in.readByte();
                if (scale >= POW10.length) {
                    throw new CorruptDataException("decimal scale " + scale + " at byte " + (in.position() - 1));
                }
                long v = in.readZigZag();
                double divisor = POW10[scale];
                if (count > 1) {
                    // Unpack the deltas into slots 1.., then integrate in place.
                    BitPacking.read(in, into, count - 1);
                    System.arraycopy(into, 0, into, 1, count - 1);
                    into[0] = Double.doubleToRawLongBits(v / divisor);
                    int last = Math.min(to, count);
                    for (int i = 1; i < last; i++) {
                        long z = into[i];
                        v += (z >>> 1) ^ -(z & 1);
                        into[i] = i >= from ? Double.doubleToRawLongBits(v / divisor) : v;
                    }
                } else {
                    BitPacking.read(in, into, 0);
                    into[0] = Double.doubleToRawLongBits(v / divisor);
                }
            }
            case LONG_DELTA -> {
                long v = in.readZigZag();
                if (count > 1) {
                    BitPacking.read(in, into, count - 1);
                    System.arraycopy(into, 0, into, 1, count - 1);
                    into[0] = v;
                    for (int i = 1; i < count; i++) {
                        long z = into[i];
                        v += (z >>> 1) ^ -(z & 1);
                        into[i] = v;
                    }
                } else {
                    BitPacking.read(in, into, 0);
                    into[0] = v;
                }
            }
            default -> throw new CorruptDataException("unknown value encoding " + kind + " at byte " + (in.position() - 1));
        }
    }

    /** The smallest k such that every value is exactly (bit for bit) an integer over 10^k, or -1. */
    static int decimalScale(long[] bits, int count) {
        int scale = 0;
        for (int i = 0; i < count; i++) {
            double v = Double.longBitsToDouble(bits[i]);
            if (Double.isNaN(v) || Double.isInfinite(v) || (v == 0 && bits[i] != 0)) {
                return -1; // NaN, infinities and -0.0 must survive bit-exactly.
            }
            while (!exactAt(bits[i], scale)) {
                if (++scale >= POW10.length) {
                    return -1;
                }
            }
        }
        // Exact at a smaller scale does not imply exact at a larger one: check the block at the final scale.
        for (; scale < POW10.length; scale++) {
            boolean all = true;
            for (int i = 0; i < count && all; i++) {
                all = exactAt(bits[i], scale);
            }
            if (all) {
                return scale;
            }
        }
        return -1;
    }

    private static boolean exactAt(long bits, int scale) {
        double scaled = Double.longBitsToDouble(bits) * POW10[scale];
        if (!(Math.abs(scaled) < MAX_EXACT)) {
            return false;
        }
        return Double.doubleToRawLongBits(Math.round(scaled) / POW10[scale]) == bits;
    }
}
