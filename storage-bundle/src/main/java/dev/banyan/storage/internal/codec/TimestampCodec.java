package dev.banyan.storage.internal.codec;

/**
 * Timestamps as delta-of-delta: the first value, the first delta, then every change of delta,
 * zigzagged and bit-packed. A series sampled at a fixed interval costs a few bytes per block.
 */
public final class TimestampCodec {

    private TimestampCodec() {
    }

    public static void encode(ByteSink out, long[] ts, int count, long[] scratch) {
        out.writeLong(ts[0]);
        if (count == 1) {
            return;
        }
        long prevDelta = ts[1] - ts[0];
        out.writeZigZag(prevDelta);
        int n = 0;
        for (int i = 2; i < count; i++) {
            long delta = ts[i] - ts[i - 1];
            long dod = delta - prevDelta;
            scratch[n++] = (dod << 1) ^ (dod >> 63);
            prevDelta = delta;
        }
        BitPacking.write(out, scratch, 0, n);
    }

    private static boolean isAllZero(long[] values, int count) {
        for (int i = 0; i < count; i++) {
            if (values[i] != 0) {
                return false;
            }
        }
        return true;
    }

    public static void decode(ByteSource in, long[] into, int count) {
        into[0] = in.readLong();
        if (count == 1) {
            return;
        }
        long delta = in.readZigZag();
        into[1] = into[0] + delta;
        if (count == 2) {
            BitPacking.read(in, into, 0);
            return;
        }
        // Unpack the delta-of-deltas into the tail of the output, then integrate in place.
        long first = into[0];
        BitPacking.read(in, into, count - 2);
        if (into[0] == 0 && isAllZero(into, count - 2)) {
            for (int i = 0; i < count; i++) {
                into[i] = first + delta * i;
            }
            return;
        }
        System.arraycopy(into, 0, into, 2, count - 2);
        into[0] = first;
        into[1] = first + delta;
        for (int i = 2; i < count; i++) {
            long z = into[i];
            delta += (z >>> 1) ^ -(z & 1);
            into[i] = into[i - 1] + delta;
        }
    }
}
