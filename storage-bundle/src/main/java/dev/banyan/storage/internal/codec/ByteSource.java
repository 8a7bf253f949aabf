package dev.banyan.storage.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link ByteSink} wrote. Every read is bounds-checked and fails with
 * {@link CorruptDataException} (never an out-of-memory or an endless loop) on bad input.
 */
public final class ByteSource {

    private final byte[] bytes;
    private final int limit;
    private int pos;

    public ByteSource(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.pos = offset;
        this.limit = offset + length;
    }

    public int position() {
        return pos;
    }

    public int remaining() {
        return limit - pos;
    }

    private void need(int n) {
        if (n < 0 || pos + n > limit) {
            throw new CorruptDataException("unexpected end of data at byte " + pos);
        }
    }

    public int readByte() {
        need(1);
        return bytes[pos++] & 0xFF;
    }

    public int readInt() {
        need(4);
        int v = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16 | (bytes[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    public long readLong() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (bytes[pos + i] & 0xFFL) << (8 * i);
        }
        pos += 8;
        return v;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptDataException("malformed varint at byte " + pos);
    }

    public long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** A length that must fit in what is left, so corrupt lengths cannot trigger huge allocations. */
    public int readLength(int unitBytes) {
        long n = readVarLong();
        if (n < 0 || n * Math.max(1, unitBytes) > remaining()) {
            throw new CorruptDataException("length " + n + " exceeds the data left at byte " + pos);
        }
        return (int) n;
    }

    public String readString() {
        int len = readLength(1);
        String s = new String(bytes, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    public byte[] array() {
        return bytes;
    }

    public void skip(int n) {
        need(n);
        pos += n;
    }
}
