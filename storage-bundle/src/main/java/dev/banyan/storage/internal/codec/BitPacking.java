package dev.banyan.storage.internal.codec;

/**
 * Frame-of-reference packing of non-negative longs: one width byte, then every value in exactly
 * that many bits. A run of zeros (constant-interval timestamps) costs one byte in total.
 */
public final class BitPacking {

    private BitPacking() {
    }

    public static void write(ByteSink out, long[] values, int from, int count) {
        long or = 0;
        for (int i = from; i < from + count; i++) {
            or |= values[i];
        }
        int width = 64 - Long.numberOfLeadingZeros(or);
        out.writeByte(width);
        if (width == 0) {
            return;
        }
        long acc = 0;
        int bits = 0;
        for (int i = from; i < from + count; i++) {
            long v = values[i];
            acc |= v << bits;
            int used = 64 - bits;
            if (width >= used) {
                // Flush the full accumulator; carry the high part of v.
                for (int b = 0; b < 8; b++) {
                    out.writeByte((int) (acc >>> (8 * b)));
                }
                acc = used == 64 ? 0 : v >>> used;
                bits = width - used;
            } else {
                bits += width;
            }
        }
        int tail = (bits + 7) / 8;
        for (int b = 0; b < tail; b++) {
            out.writeByte((int) (acc >>> (8 * b)));
        }
    }

    public static void read(ByteSource in, long[] into, int count) {
        int width = in.readByte();
        if (width > 64) {
            throw new CorruptDataException("bit width " + width + " at byte " + (in.position() - 1));
        }
        if (width == 0) {
            java.util.Arrays.fill(into, 0, count, 0L);
            return;
        }
        int totalBytes = (int) (((long) width * count + 7) / 8);
        if (totalBytes > in.remaining()) {
            throw new CorruptDataException("packed block of " + totalBytes + " bytes exceeds the data left at byte " + in.position());
        }
        byte[] bytes = in.array();
        int base = in.position();
        int end = base + totalBytes;
        if (width == 8) {
            // Byte-aligned: the common width of 2-decimal gauge deltas.
            for (int i = 0; i < count; i++) {
                into[i] = bytes[base + i] & 0xFFL;
            }
            in.skip(totalBytes);
            return;
        }
        if (width == 16) {
            for (int i = 0; i < count; i++) {
                into[i] = (bytes[base + 2 * i] & 0xFFL) | (bytes[base + 2 * i + 1] & 0xFFL) << 8;
            }
            in.skip(totalBytes);
            return;
        }
        long bitPos = 0;
        for (int i = 0; i < count; i++) {
            if (width <= 56) {
                into[i] = bits(bytes, base, end, bitPos, width);
            } else {
                long low = bits(bytes, base, end, bitPos, 32);
                long high = bits(bytes, base, end, bitPos + 32, width - 32);
                into[i] = low | (high << 32);
            }
            bitPos += width;
        }
        in.skip(totalBytes);
    }

    /** {@code n <= 56} bits starting at bit {@code bitPos} after {@code base}; bytes at or past {@code end} read as 0. */
    private static long bits(byte[] bytes, int base, int end, long bitPos, int n) {
        int first = base + (int) (bitPos >>> 3);
        int shift = (int) (bitPos & 7);
        long window = 0;
        for (int b = 0; b < 8 && first + b < end; b++) {
            window |= (bytes[first + b] & 0xFFL) << (8 * b);
        }
        return (window >>> shift) & ((1L << n) - 1);
    }
}
