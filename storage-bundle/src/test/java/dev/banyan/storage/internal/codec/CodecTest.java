package dev.banyan.storage.internal.codec;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Random;

import org.junit.Test;

/** Every encoding round-trips bit for bit, and bad input fails cleanly. */
public class CodecTest {

    private final Random random = new Random(7);

    @Test
    public void bitPackingRoundTripsEveryWidth() {
        for (int width = 0; width <= 64; width++) {
            long[] values = new long[777];
            for (int i = 0; i < values.length; i++) {
                values[i] = width == 0 ? 0 : width == 64 ? random.nextLong() : random.nextLong() & ((1L << width) - 1);
            }
            ByteSink out = new ByteSink(16);
            BitPacking.write(out, values, 0, values.length);
            long[] back = new long[values.length];
            ByteSource in = new ByteSource(out.array(), 0, out.size());
            BitPacking.read(in, back, values.length);
            assertArrayEquals("width " + width, values, back);
            assertEquals(0, in.remaining());
        }
    }

    @Test
    public void timestampsRoundTripRegularAndIrregular() {
        for (int count : new int[] {1, 2, 3, 512}) {
            long[] regular = new long[count];
            long[] irregular = new long[count];
            long t = 1_704_067_200_000L;
            for (int i = 0; i < count; i++) {
                regular[i] = t + 10_000L * i;
                irregular[i] = (i == 0 ? t : irregular[i - 1]) + 1 + random.nextInt(100_000);
            }
            assertTimestamps(regular);
            assertTimestamps(irregular);
        }
        ByteSink out = new ByteSink(16);
        long[] regular = new long[512];
        for (int i = 0; i < 512; i++) {
            regular[i] = 1_704_067_200_000L + 10_000L * i;
        }
        TimestampCodec.encode(out, regular, 512, new long[512]);
        assertTrue("constant intervals cost a few bytes per block, not per point: " + out.size(), out.size() <= 12);
    }

    @Test
    public void decimalsCompressToAboutOneBytePerValue() {
        long[] bits = new long[512];
        double cur = 73;
        for (int i = 0; i < bits.length; i++) {
            cur = Math.round((cur + (random.nextInt(201) - 100) / 100.0) * 100) / 100.0;
            bits[i] = Double.doubleToRawLongBits(cur);
        }
        ByteSink out = new ByteSink(16);
        ValueCodec.encodeDoubles(out, bits, bits.length, new long[512]);
        assertTrue("2-decimal noise: " + out.size() + " bytes for 512 values", out.size() <= 520);
        assertValues(bits, out);
    }

    @Test
    public void arbitraryDoublesAndSpecialValuesRoundTripExactly() {
        long[] bits = new long[300];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Double.doubleToRawLongBits(random.nextGaussian() * 1e6);
        }
        bits[5] = Double.doubleToRawLongBits(Double.NaN);
        bits[6] = Double.doubleToRawLongBits(-0.0);
        bits[7] = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);
        bits[8] = Double.doubleToRawLongBits(Double.MIN_VALUE);
        ByteSink out = new ByteSink(16);
        ValueCodec.encodeDoubles(out, bits, bits.length, new long[300]);
        assertValues(bits, out);
        long[] mostlyDecimal = {Double.doubleToRawLongBits(0.1), Double.doubleToRawLongBits(0.2), Double.doubleToRawLongBits(0.3),
            Double.doubleToRawLongBits(1.0 / 3)};
        ByteSink mixed = new ByteSink(16);
        ValueCodec.encodeDoubles(mixed, mostlyDecimal, 4, new long[4]);
        assertValues(mostlyDecimal, mixed);
    }

    @Test
    public void longsRoundTripIncludingExtremes() {
        long[] values = {0, Long.MAX_VALUE, Long.MIN_VALUE, -1, 42, 43, 41, Long.MAX_VALUE};
        ByteSink out = new ByteSink(16);
        ValueCodec.encodeLongs(out, values, values.length, new long[8]);
        assertValues(values, out);
    }

    @Test
    public void truncatedOrGarbageInputFailsWithCorruptDataNotOutOfMemory() {
        long[] bits = new long[100];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Double.doubleToRawLongBits(i / 4.0);
        }
        ByteSink out = new ByteSink(16);
        ValueCodec.encodeDoubles(out, bits, bits.length, new long[100]);
        for (int cut = 0; cut < out.size(); cut++) {
            try {
                ValueCodec.decode(new ByteSource(out.array(), 0, cut), new long[100], 100);
                fail("decoded from " + cut + " of " + out.size() + " bytes");
            } catch (CorruptDataException expected) {
                // reported, not crashed
            }
        }
        byte[] garbage = new byte[64];
        java.util.Arrays.fill(garbage, (byte) 0xFF);
        try {
            new ByteSource(garbage, 0, garbage.length).readLength(1);
            fail("huge length accepted");
        } catch (CorruptDataException expected) {
            // a corrupt length never allocates
        }
    }

    private static void assertTimestamps(long[] ts) {
        ByteSink out = new ByteSink(16);
        TimestampCodec.encode(out, ts, ts.length, new long[ts.length]);
        long[] back = new long[ts.length];
        TimestampCodec.decode(new ByteSource(out.array(), 0, out.size()), back, ts.length);
        assertArrayEquals(ts, back);
    }

    private static void assertValues(long[] expected, ByteSink out) {
        long[] back = new long[expected.length];
        ByteSource in = new ByteSource(out.array(), 0, out.size());
        ValueCodec.decode(in, back, expected.length);
        assertArrayEquals(expected, back);
        assertEquals(0, in.remaining());
    }
}
