package dev.banyan.storage.internal.aggregate;

import java.math.BigInteger;
import java.util.Arrays;

import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;

/**
 * The exact sum of finite doubles and longs, whatever the order they come in: a fixed-point
 * accumulator in 32-bit chunks ("superaccumulator"). Every finite double and every long is an
 * integer multiple of 2<sup>-1074</sup>; chunk {@code a} holds the bits of weight
 * 2<sup>32a-1074</sup> .. 2<sup>32a+31-1074</sup>. Chunks are kept as signed longs and only
 * normalised (carries propagated) every 2<sup>30</sup> additions, so an addition costs a few
 * shifts. Only the chunk range actually touched is allocated (2-4 chunks for values of similar
 * magnitude). The result is rounded once, to nearest-even, so memtable, parts, block statistics and
 * buckets, summing in different orders and groupings, all give the same answer.
 */
public final class ExactSum {

    private static final long MASK32 = 0xFFFF_FFFFL;
    /** Bit position (in units of 2^-1074) of 2^0. */
    private static final int UNIT_POSITION = 1074;
    /** Additions a chunk absorbs before carries must be propagated (each adds less than 2^32). */
    private static final int NORMALIZE_EVERY = 1 << 30;

    /** Chunk {@code base + i} of the value; null while the sum is zero. */
    private long[] chunks;
    private int base;
    /** After normalisation: 0 or -1, the two's complement sign extension above the top chunk. */
    private long carry;
    private int pending;

    public ExactSum() {
    }

    private ExactSum(long[] chunks, int base, long carry) {
        this.chunks = chunks;
        this.base = base;
        this.carry = carry;
    }

    /** Adds a finite double (NaN and infinities are the caller's business). */
    public void add(double value) {
        long bits = Double.doubleToRawLongBits(value);
        int exponent = (int) (bits >>> 52) & 0x7FF;
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0) {
            if (mantissa == 0) {
                return;
            }
            exponent = 1; // subnormal: same scale as the smallest normal, no hidden bit
        } else {
            mantissa |= 1L << 52;
        }
        add(mantissa, exponent - 1, bits < 0);
    }

    public void add(long value) {
        if (value != 0) {
            // For Long.MIN_VALUE, -value is 2^63 read as unsigned: still right.
            add(value < 0 ? -value : value, UNIT_POSITION, value < 0);
        }
    }

    /** Adds {@code value} (|value| &lt; 2^63) times 2^(position - 1074). */
    void addScaled(long value, int position) {
        if (value != 0) {
            add(value < 0 ? -value : value, position, value < 0);
        }
    }

    /** Adds {@code magnitude} (unsigned) times 2^(position - 1074). */
    private void add(long magnitude, int position, boolean negative) {
        int chunk = position >>> 5;
        int shift = position & 31;
        long p0 = (magnitude << shift) & MASK32;
        long p1 = (shift == 0 ? magnitude >>> 32 : magnitude >>> (32 - shift)) & MASK32;
        long p2 = shift == 0 ? 0 : magnitude >>> (64 - shift);
        cover(chunk, chunk + 2);
        int i = chunk - base;
        if (negative) {
            chunks[i] -= p0;
            chunks[i + 1] -= p1;
            chunks[i + 2] -= p2;
        } else {
            chunks[i] += p0;
            chunks[i + 1] += p1;
            chunks[i + 2] += p2;
        }
        if (++pending >= NORMALIZE_EVERY) {
            normalize();
        }
    }

    /** Adds {@code other} (which is not changed). */
    public void add(ExactSum other) {
        if (other.chunks == null) {
            return;
        }
        if ((long) pending + other.pending + 2 >= NORMALIZE_EVERY) {
            normalize();
        }
        int top = other.base + other.chunks.length;
        cover(other.base, top);
        int offset = other.base - base;
        for (int i = 0; i < other.chunks.length; i++) {
            chunks[offset + i] += other.chunks[i];
        }
        chunks[offset + other.chunks.length] += other.carry; // its sign extension, weight 2^(32 * top)
        pending += other.pending + 2;
    }

    /** Grows the chunk array to cover absolute chunks [from, to]. */
    private void cover(int from, int to) {
        if (chunks == null) {
            chunks = new long[Math.max(4, to - from + 2)];
            base = from;
            return;
        }
        int top = base + chunks.length - 1;
        if (from >= base && to <= top) {
            return;
        }
        int newBase = Math.min(base, from);
        long[] grown = new long[Math.max(top, to) + 2 - newBase];
        System.arraycopy(chunks, 0, grown, base - newBase, chunks.length);
        // The sign extension's weight was 2^(32 * (top + 1)): it becomes that chunk's content.
        grown[top + 1 - newBase] += carry;
        carry = 0;
        chunks = grown;
        base = newBase;
    }

    /** Propagates carries: every chunk in [0, 2^32), the sign in {@link #carry} (0 or -1). */
    private void normalize() {
        pending = 0;
        if (chunks == null) {
            return;
        }
        long c = 0;
        for (int i = 0; i < chunks.length; i++) {
            long v = chunks[i] + c;
            chunks[i] = v & MASK32;
            c = v >> 32;
        }
        c += carry;
        while (c != 0 && c != -1) {
            chunks = Arrays.copyOf(chunks, chunks.length + 1);
            chunks[chunks.length - 1] = c & MASK32;
            c >>= 32;
        }
        carry = c;
    }

    public boolean isZero() {
        normalize();
        if (chunks == null) {
            return true;
        }
        if (carry != 0) {
            return false;
        }
        for (long c : chunks) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    /** The magnitude's chunks (each in [0, 2^32)), normalised; the sign is returned separately. */
    private long[] magnitude() {
        normalize();
        if (carry == 0) {
            return chunks;
        }
        // Two's complement negation: flip every chunk, add one.
        long[] m = new long[chunks.length];
        long c = 1;
        for (int i = 0; i < m.length; i++) {
            long v = (~chunks[i] & MASK32) + c;
            m[i] = v & MASK32;
            c = v >>> 32;
        }
        return m;
    }

    /** The sum correctly rounded (to nearest, ties to even) to a double; +0.0 for a zero sum. */
    public double toDouble() {
        if (chunks == null) {
            return 0.0;
        }
        long[] m = magnitude();
        boolean negative = carry != 0;
        int h = m.length - 1;
        while (h >= 0 && m[h] == 0) {
            h--;
        }
        if (h < 0) {
            return 0.0;
        }
        int absolute = base + h;
        int lz = Long.numberOfLeadingZeros(m[h]) - 32;
        long window = m[h] << (32 + lz);
        long sticky = 0;
        if (h >= 1) {
            window |= m[h - 1] << lz;
        }
        if (h >= 2) {
            window |= lz == 0 ? 0 : m[h - 2] >>> (32 - lz);
            sticky = lz == 0 ? m[h - 2] : m[h - 2] & ((1L << (32 - lz)) - 1);
        }
        for (int i = h - 3; i >= 0 && sticky == 0; i--) {
            sticky = m[i];
        }
        // The window's top bit has weight 2^(position - 1074).
        int position = 32 * absolute + 31 - lz;
        int exponent = position - UNIT_POSITION;
        double result;
        if (exponent < -1022) {
            // Subnormal: every bit has weight >= 2^-1074 and the value < 2^-1022, so it is exact.
            long units = window >>> (63 - position);
            result = Double.longBitsToDouble(units);
        } else {
            long mantissa = window >>> 11;
            long rest = window & 0x7FF;
            if (rest > 0x400 || (rest == 0x400 && (sticky != 0 || (mantissa & 1) != 0))) {
                mantissa++;
                if (mantissa == 1L << 53) {
                    mantissa >>>= 1;
                    exponent++;
                }
            }
            if (exponent > 1023) {
                result = Double.POSITIVE_INFINITY;
            } else {
                result = Double.longBitsToDouble((long) (exponent + 1023) << 52 | (mantissa & 0xF_FFFF_FFFF_FFFFL));
            }
        }
        return negative ? -result : result;
    }

    /** The sum as an integer; exact if only longs were added (fractions of doubles are truncated). */
    public BigInteger toBigInteger() {
        if (chunks == null) {
            return BigInteger.ZERO;
        }
        normalize();
        BigInteger value = BigInteger.valueOf(carry);
        for (int i = chunks.length - 1; i >= 0; i--) {
            value = value.shiftLeft(32).or(BigInteger.valueOf(chunks[i]));
        }
        int shift = 32 * base - UNIT_POSITION;
        return shift >= 0 ? value.shiftLeft(shift) : value.shiftRight(-shift);
    }

    /** {@code [base varint][chunk count varint][chunks, varints][sign byte]}, trimmed of zero chunks. */
    public void writeTo(ByteSink out) {
        normalize();
        int from = 0;
        int to = chunks == null ? 0 : chunks.length;
        long extension = carry == 0 ? 0 : MASK32;
        while (to > from && chunks[to - 1] == extension) {
            to--;
        }
        while (from < to && chunks[from] == 0) {
            from++;
        }
        out.writeVarLong(chunks == null ? 0 : base + from);
        out.writeVarLong(to - from);
        for (int i = from; i < to; i++) {
            out.writeVarLong(chunks[i]);
        }
        out.writeByte((int) -carry);
    }

    public static ExactSum readFrom(ByteSource in) {
        long base = in.readVarLong();
        int n = in.readLength(1);
        if (base < 0 || base > 100 || n > 100) {
            throw new CorruptDataException("exact sum with chunk range " + base + "+" + n + " at byte " + in.position());
        }
        long[] chunks = new long[n + 1];
        for (int i = 0; i < n; i++) {
            long c = in.readVarLong();
            if (c < 0 || c > MASK32) {
                throw new CorruptDataException("exact sum chunk out of range at byte " + in.position());
            }
            chunks[i] = c;
        }
        int sign = in.readByte();
        if (sign > 1) {
            throw new CorruptDataException("exact sum sign " + sign + " at byte " + (in.position() - 1));
        }
        chunks[n] = sign == 1 ? MASK32 : 0;
        return n == 0 && sign == 0 ? new ExactSum() : new ExactSum(chunks, (int) base, -sign);
    }
}
