package dev.banyan.storage.internal.aggregate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;

/**
 * count, sum, min, max (and so avg) of one field over some points: the one implementation of the
 * aggregate policy (docs/SEMANTICS.md, "Aggregates"), used for block statistics, part summaries and
 * query accumulators alike, so every path gives the same answer. Values are raw words (see
 * {@link FieldType}). Absent values and staleness markers are skipped; NaN counts as a value, makes
 * sum and avg NaN and is ignored by min and max unless every value is NaN; -0.0 orders below +0.0;
 * sums are exact and rounded once; LONG min, max and sum are exact.
 */
public final class FieldStats {

    private static final long NEGATIVE_ZERO = 0x8000_0000_0000_0000L;
    private static final int NAN = 1;
    private static final int POSITIVE_INFINITY = 2;
    private static final int NEGATIVE_INFINITY = 4;
    /** Every value counted so far was -0.0 (their sum is -0.0, as IEEE addition gives). */
    private static final int ONLY_NEGATIVE_ZERO = 8;
    /** At least one value that is not NaN: min and max hold. */
    private static final int ORDERED = 16;

    private final FieldType type;
    private final long absent;
    private long count;
    private int flags = ONLY_NEGATIVE_ZERO;
    /** Raw words: a double's bits for DOUBLE, the value for LONG. Valid when ORDERED is set. */
    private long min;
    private long max;
    private final ExactSum sum;

    public FieldStats(FieldType type) {
        this(type, new ExactSum());
    }

    private FieldStats(FieldType type, ExactSum sum) {
        this.type = type;
        this.absent = type.absentRaw();
        this.sum = sum;
    }

    public FieldType type() {
        return type;
    }

    /** Adds one raw value (absent and staleness markers are skipped). */
    public void add(long raw) {
        if (raw == absent) {
            return;
        }
        if (type == FieldType.LONG) {
            if ((flags & ORDERED) == 0) {
                min = raw;
                max = raw;
                flags |= ORDERED;
            } else if (raw < min) {
                min = raw;
            } else if (raw > max) {
                max = raw;
            }
            count++;
            sum.add(raw);
            return;
        }
        if (raw == FieldType.STALE_MARKER_BITS) {
            return;
        }
        count++;
        double v = Double.longBitsToDouble(raw);
        if (v != v) {
            flags |= NAN;
            return;
        }
        if (raw != NEGATIVE_ZERO) {
            flags &= ~ONLY_NEGATIVE_ZERO;
        }
        if ((flags & ORDERED) == 0) {
            min = raw;
            max = raw;
            flags |= ORDERED;
        } else if (Double.compare(v, Double.longBitsToDouble(min)) < 0) {
            min = raw;
        } else if (Double.compare(v, Double.longBitsToDouble(max)) > 0) {
            max = raw;
        }
        if (v == Double.POSITIVE_INFINITY) {
            flags |= POSITIVE_INFINITY;
        } else if (v == Double.NEGATIVE_INFINITY) {
            flags |= NEGATIVE_INFINITY;
        } else {
            sum.add(v);
        }
    }

    /** Per thread: mantissa sums by binary exponent, for {@link #addAll}. */
    private static final ThreadLocal<ExponentBuckets> BUCKETS = ThreadLocal.withInitial(ExponentBuckets::new);

    /**
     * Sums of at most {@link #RUN} signed 53-bit mantissas per exponent (so at most 62 bits each):
     * values of a run share few exponents, so a run costs one array update per value and a few
     * exact additions at the end.
     */
    private static final class ExponentBuckets {
        static final int RUN = 512;
        final long[] sums = new long[2048];
        final int[] touched = new int[RUN];
        int count;

        void foldInto(ExactSum sum) {
            for (int i = 0; i < count; i++) {
                int exponent = touched[i];
                sum.addScaled(sums[exponent], exponent - 1);
                sums[exponent] = 0;
            }
            count = 0;
        }
    }

    /** Adds {@code raws[from..to)}: exactly what {@link #add(long)} on each would do, faster for DOUBLE. */
    public void addAll(long[] raws, int from, int to) {
        if (type == FieldType.LONG) {
            for (int i = from; i < to; i++) {
                add(raws[i]);
            }
            return;
        }
        ExponentBuckets buckets = BUCKETS.get();
        long[] sums = buckets.sums;
        int f = flags;
        long lo = min;
        long hi = max;
        double low = Double.longBitsToDouble(lo);
        double high = Double.longBitsToDouble(hi);
        long counted = 0;
        int inRun = 0;
        for (int i = from; i < to; i++) {
            long raw = raws[i];
            if (raw == absent || raw == FieldType.STALE_MARKER_BITS) {
                continue;
            }
            counted++;
            int exponent = (int) (raw >>> 52) & 0x7FF;
            long mantissa = raw & 0xF_FFFF_FFFF_FFFFL;
            if (exponent == 0x7FF && mantissa != 0) {
                f |= NAN;
                continue;
            }
            double v = Double.longBitsToDouble(raw);
            if (raw != NEGATIVE_ZERO) {
                f &= ~ONLY_NEGATIVE_ZERO;
            }
            if ((f & ORDERED) == 0) {
                lo = raw;
                hi = raw;
                low = v;
                high = v;
                f |= ORDERED;
            } else {
                if (v < low || (v == low && raw == NEGATIVE_ZERO)) {
                    lo = raw;
                    low = v;
                }
                if (v > high || (v == high && raw == 0)) {
                    hi = raw;
                    high = v;
                }
            }
            if (exponent == 0x7FF) {
                f |= raw < 0 ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
                continue;
            }
            if (exponent == 0) {
                exponent = 1; // subnormal: no hidden bit
            } else {
                mantissa |= 1L << 52;
            }
            if (sums[exponent] == 0) {
                buckets.touched[buckets.count++] = exponent;
            }
            sums[exponent] += raw < 0 ? -mantissa : mantissa;
            if (++inRun == ExponentBuckets.RUN) {
                buckets.foldInto(sum);
                inRun = 0;
            }
        }
        buckets.foldInto(sum);
        flags = f;
        min = lo;
        max = hi;
        count += counted;
    }

    /** Folds {@code other} (same type; not changed) into this. */
    public void add(FieldStats other) {
        if (other.count == 0) {
            return;
        }
        if ((other.flags & ORDERED) != 0) {
            if ((flags & ORDERED) == 0) {
                min = other.min;
                max = other.max;
            } else {
                min = before(other.min, min) ? other.min : min;
                max = before(max, other.max) ? other.max : max;
            }
        }
        int kept = flags & other.flags & ONLY_NEGATIVE_ZERO;
        flags = (flags | other.flags) & ~ONLY_NEGATIVE_ZERO | kept;
        count += other.count;
        sum.add(other.sum);
    }

    private boolean before(long a, long b) {
        return type == FieldType.LONG ? a < b : Double.compare(Double.longBitsToDouble(a), Double.longBitsToDouble(b)) < 0;
    }

    /** Values counted: present, not staleness markers, NaN included. */
    public long count() {
        return count;
    }

    /** Long or (beyond 64 bits) BigInteger for LONG, Double for DOUBLE; null without values. */
    public Number sum() {
        if (count == 0) {
            return null;
        }
        if (type == FieldType.LONG) {
            BigInteger exact = sum.toBigInteger();
            return exact.bitLength() < 64 ? (Number) exact.longValue() : exact;
        }
        return doubleSum();
    }

    private double doubleSum() {
        if ((flags & NAN) != 0 || (flags & (POSITIVE_INFINITY | NEGATIVE_INFINITY)) == (POSITIVE_INFINITY | NEGATIVE_INFINITY)) {
            return Double.NaN;
        }
        if ((flags & POSITIVE_INFINITY) != 0) {
            return Double.POSITIVE_INFINITY;
        }
        if ((flags & NEGATIVE_INFINITY) != 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return (flags & ONLY_NEGATIVE_ZERO) != 0 ? -0.0 : sum.toDouble();
    }

    /** Long for LONG, Double for DOUBLE (NaN if every value is NaN); null without values. */
    public Number min() {
        return extreme(min);
    }

    public Number max() {
        return extreme(max);
    }

    private Number extreme(long raw) {
        if (count == 0) {
            return null;
        }
        if (type == FieldType.LONG) {
            return raw;
        }
        return (flags & ORDERED) == 0 ? Double.NaN : Double.longBitsToDouble(raw);
    }

    /**
     * sum / count as a double: the exactly rounded sum divided by the count; if only that rounding
     * overflowed (no value was infinite), the exact sum divided by the count. Null without values.
     */
    public Double avg() {
        if (count == 0) {
            return null;
        }
        double total = type == FieldType.LONG ? sum.toDouble() : doubleSum();
        if (Double.isInfinite(total) && (flags & (POSITIVE_INFINITY | NEGATIVE_INFINITY)) == 0) {
            return new BigDecimal(sum.toBigInteger()).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
        }
        return total / count;
    }

    /**
     * {@code [count varint][flags byte][min, max if ordered][exact sum]}; min and max are 8 raw bytes
     * for DOUBLE, zigzag varints for LONG.
     */
    public void writeTo(ByteSink out) {
        out.writeVarLong(count);
        out.writeByte(flags);
        if ((flags & ORDERED) != 0) {
            if (type == FieldType.LONG) {
                out.writeZigZag(min);
                out.writeZigZag(max);
            } else {
                out.writeLong(min);
                out.writeLong(max);
            }
        }
        sum.writeTo(out);
    }

    public static FieldStats readFrom(ByteSource in, FieldType type) {
        long count = in.readVarLong();
        int flags = in.readByte();
        if (count < 0 || flags > 31) {
            throw new CorruptDataException("field statistics (count " + count + ", flags " + flags + ") at byte " + in.position());
        }
        long min = 0;
        long max = 0;
        if ((flags & ORDERED) != 0) {
            min = type == FieldType.LONG ? in.readZigZag() : in.readLong();
            max = type == FieldType.LONG ? in.readZigZag() : in.readLong();
        }
        FieldStats stats = new FieldStats(type, ExactSum.readFrom(in));
        stats.count = count;
        stats.flags = flags;
        stats.min = min;
        stats.max = max;
        return stats;
    }
}
