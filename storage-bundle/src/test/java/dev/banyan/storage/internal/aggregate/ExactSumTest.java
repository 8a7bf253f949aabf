package dev.banyan.storage.internal.aggregate;

import static org.junit.Assert.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;

/** [S17] The exact sum equals BigDecimal arithmetic rounded once, in any order and grouping. */
public class ExactSumTest {

    private static double reference(List<Double> values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.doubleValue();
    }

    private static double randomDouble(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> Double.longBitsToDouble(random.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) * (random.nextBoolean() ? 1 : -1);
            case 1 -> Double.MIN_VALUE * random.nextInt(1000) * (random.nextBoolean() ? 1 : -1);
            case 2 -> Double.MAX_VALUE / (1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1);
            case 3 -> Math.round(random.nextGaussian() * 10_000) / 100.0;
            case 4 -> 0.1 * random.nextInt(10);
            case 5 -> random.nextDouble() * Math.pow(2, random.nextInt(200) - 100);
            case 6 -> -0.0;
            case 7 -> Math.ulp(1.0) * random.nextInt(3) + 1;
            default -> random.nextLong() * 1.0;
        };
    }

    @Test
    public void s17_sumOfDoublesIsTheCorrectlyRoundedExactSumInAnyOrder() {
        for (int seed = 0; seed < 1000; seed++) {
            Random random = new Random(seed);
            List<Double> values = new ArrayList<>();
            int n = 1 + random.nextInt(seed % 50 == 0 ? 2000 : 20);
            for (int i = 0; i < n; i++) {
                values.add(randomDouble(random));
            }
            double expected = reference(values);
            if (Double.isInfinite(expected)) {
                continue; // beyond the double range: BigDecimal.doubleValue says Infinity too, checked below
            }
            ExactSum sequential = new ExactSum();
            values.forEach(sequential::add);
            assertEquals("seed " + seed, expected, sequential.toDouble(), 0);
            Collections.shuffle(values, random);
            // Split into groups summed separately, serialised, read back and combined.
            ExactSum combined = new ExactSum();
            for (int from = 0; from < values.size();) {
                int to = Math.min(values.size(), from + 1 + random.nextInt(7));
                ExactSum part = new ExactSum();
                values.subList(from, to).forEach(part::add);
                ByteSink out = new ByteSink(64);
                part.writeTo(out);
                ExactSum read = ExactSum.readFrom(new ByteSource(out.array(), 0, out.size()));
                assertEquals("seed " + seed + " round trip", part.toDouble(), read.toDouble(), 0);
                combined.add(read);
                from = to;
            }
            assertEquals("seed " + seed + " grouped and shuffled", Double.doubleToRawLongBits(expected == 0 ? 0.0 : expected),
                    Double.doubleToRawLongBits(combined.toDouble()));
        }
    }

    @Test
    public void s17_roundingEdges() {
        // 1 + 2^-53 is a tie: stays 1 (even); plus anything more rounds up.
        assertSum(1.0, 1.0, 0x1p-53);
        assertSum(1.0 + 0x1p-52, 1.0, 0x1p-53, 0x1p-80);
        assertSum(1.0 + 0x1p-51, 1.0 + 0x1p-52, 0x1p-53);
        assertSum(0.6, 0.1, 0.2, 0.3);
        assertSum(Double.MAX_VALUE, Double.MAX_VALUE, Math.ulp(Double.MAX_VALUE) / 4);
        assertSum(Double.POSITIVE_INFINITY, Double.MAX_VALUE, Double.MAX_VALUE);
        assertSum(Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -Double.MAX_VALUE);
        assertSum(Double.MIN_VALUE * 3, Double.MIN_VALUE, Double.MIN_VALUE * 2);
        assertSum(Double.MIN_NORMAL, Double.MIN_NORMAL - Double.MIN_VALUE, Double.MIN_VALUE);
        assertSum(0.0, 1e300, -1e300, 5e-324, -5e-324);
        assertSum(-1e-300, 1e300, -1e300, -1e-300);
    }

    private static void assertSum(double expected, double... values) {
        List<Double> list = new ArrayList<>();
        ExactSum sum = new ExactSum();
        for (double v : values) {
            list.add(v);
            sum.add(v);
        }
        assertEquals(list.toString(), expected, sum.toDouble(), 0);
        if (!Double.isInfinite(expected)) {
            assertEquals(list.toString(), reference(list), sum.toDouble(), 0);
        }
    }

    @Test
    public void s17_sumOfLongsIsExactBeyondSixtyFourBits() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            BigInteger expected = BigInteger.ZERO;
            ExactSum sum = new ExactSum();
            int n = 1 + random.nextInt(50);
            for (int i = 0; i < n; i++) {
                long v = switch (random.nextInt(4)) {
                    case 0 -> Long.MAX_VALUE - random.nextInt(3);
                    case 1 -> Long.MIN_VALUE + random.nextInt(3);
                    case 2 -> random.nextLong();
                    default -> random.nextInt(100) - 50;
                };
                expected = expected.add(BigInteger.valueOf(v));
                sum.add(v);
            }
            assertEquals(expected, sum.toBigInteger());
            assertEquals(expected.doubleValue(), sum.toDouble(), 0);
        }
        ExactSum exact = new ExactSum();
        exact.add(9007199254740993L);
        exact.add(9223372036854775807L);
        assertEquals(new BigInteger("9223372036854775807").add(new BigInteger("9007199254740993")), exact.toBigInteger());
    }
}
