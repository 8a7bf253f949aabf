package dev.banyan.storage.api;

/**
 * The value type of a measure field. Values travel as raw 64-bit words: a double's bits
 * ({@link Double#doubleToRawLongBits}, so every NaN payload and -0.0 survive) for DOUBLE, the value
 * itself for LONG. One raw word per type is reserved to mean "absent" (no value written for the
 * field at that point) and is refused as a value by {@link WriteBatch}; see docs/SEMANTICS.md.
 */
public enum FieldType {
    /** IEEE-754 binary64; absent is the signalling NaN {@code 0x7ff442414e59414e}. */
    DOUBLE(0x7FF4_4241_4E59_414EL),
    /** Signed 64-bit integer; absent is {@link Long#MIN_VALUE}, so values span -2^63+1 .. 2^63-1. */
    LONG(Long.MIN_VALUE);

    /**
     * The bits of Prometheus's staleness marker, a NaN that says "this series ended here". Stored and
     * returned raw like any value; aggregates skip it (it is not a sample).
     */
    public static final long STALE_MARKER_BITS = 0x7FF0_0000_0000_0002L;

    private final long absentRaw;

    FieldType(long absentRaw) {
        this.absentRaw = absentRaw;
    }

    /** The raw word that marks this field absent from a point. */
    public long absentRaw() {
        return absentRaw;
    }
}
