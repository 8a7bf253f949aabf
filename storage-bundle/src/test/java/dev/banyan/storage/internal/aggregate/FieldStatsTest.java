package dev.banyan.storage.internal.aggregate;

import static org.junit.Assert.assertEquals;

import java.util.Random;

import org.junit.Test;

import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;

/** [S17] The bulk path, the one-by-one path, merged statistics and stored statistics agree exactly. */
public class FieldStatsTest {

    private static final long[] SPECIAL = {FieldType.STALE_MARKER_BITS, FieldType.DOUBLE.absentRaw(), Double.doubleToRawLongBits(Double.NaN),
            0x7FF8_0000_0000_0BADL, Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY),
            0L, Double.doubleToRawLongBits(-0.0), 1L, Double.doubleToRawLongBits(Double.MAX_VALUE), Double.doubleToRawLongBits(-Double.MIN_NORMAL)};

    @Test
    public void s17_bulkOneByOneMergedAndStoredStatisticsAreEqual() {
        for (int seed = 0; seed < 2000; seed++) {
            Random random = new Random(seed);
            int n = random.nextInt(seed % 20 == 0 ? 3000 : 40);
            long[] raws = new long[n];
            for (int i = 0; i < n; i++) {
                raws[i] = random.nextInt(5) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)]
                        : Double.doubleToRawLongBits(random.nextInt(3) == 0 ? random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20)
                                : Math.round(random.nextGaussian() * 1000) / 100.0);
            }
            FieldStats single = new FieldStats(FieldType.DOUBLE);
            for (long raw : raws) {
                single.add(raw);
            }
            FieldStats bulk = new FieldStats(FieldType.DOUBLE);
            FieldStats merged = new FieldStats(FieldType.DOUBLE);
            for (int from = 0; from < n;) {
                int to = Math.min(n, from + 1 + random.nextInt(700));
                bulk.addAll(raws, from, to);
                FieldStats part = new FieldStats(FieldType.DOUBLE);
                part.addAll(raws, from, to);
                ByteSink out = new ByteSink(64);
                part.writeTo(out);
                merged.add(FieldStats.readFrom(new ByteSource(out.array(), 0, out.size()), FieldType.DOUBLE));
                from = to;
            }
            for (FieldStats other : new FieldStats[] {bulk, merged}) {
                String context = "seed " + seed;
                assertEquals(context, single.count(), other.count());
                assertEquals(context, single.sum(), other.sum());
                assertEquals(context, single.min(), other.min());
                assertEquals(context, single.max(), other.max());
                assertEquals(context, single.avg(), other.avg());
            }
        }
    }
}
