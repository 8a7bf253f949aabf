package dev.banyan.storage;

import static org.junit.Assert.assertEquals;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.AggregateFunction;
import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * Parts written before exact statistics (format 1, magic "BNYP", whose block statistics are
 * inexact doubles) are still read: their blocks are decoded to aggregate them, and a merge
 * rewrites them as format 2 ("BNP2").
 */
public class PartFormatCompatibilityTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3650), 1)
            .withRotation(false).withRetention(false).withDurability(Durability.OS);
    private static final List<FieldDef> FIELDS = List.of(FieldDef.ofDouble("d"), FieldDef.ofLong("l"));
    /** The fixture: series m{host=a}{region=eu}, 1000 points every 10 s from 2024-01-01T00:00:00Z. */
    private static final long T0 = 1_704_067_200_000L;

    @Test
    public void s17_format1PartsAreReadAggregatedExactlyAndMergedIntoFormat2() throws Exception {
        SeriesRef a = SeriesRef.of("m", Map.of("host", "a"), Map.of("region", "eu"));
        ReferenceAggregates reference = new ReferenceAggregates(FIELDS);
        for (int i = 0; i < 1000; i++) {
            reference.write(a, T0 + i * 10_000L, new long[] {Double.doubleToRawLongBits(i % 97 == 0 ? Double.NaN : i * 0.25),
                    9007199254740993L + i});
        }
        SeriesRef b = SeriesRef.of("m", "host", "b");
        try (TsdbEngine engine = new TsdbEngine(tmp.getRoot().toPath(), StorageVersions.bundled(), Clock.system(StorageFixture.ZONE), 1_000_000)) {
            try (Tsdb db = engine.open("g", OPTIONS)) {
                db.write(new WriteBatch("m", FIELDS, 1).add(b, T0, 1.5, 7L));
                reference.write(b, T0, new long[] {Double.doubleToRawLongBits(1.5), 7L});
            }
            Path shard;
            try (Stream<Path> files = Files.walk(tmp.getRoot().toPath().resolve("g"))) {
                shard = files.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow().getParent();
            }
            try (InputStream in = getClass().getResourceAsStream("/parts/format1-double-long.bin")) {
                Files.copy(in, shard.resolve("part-0000000000000000.bin"));
            }
            try (Tsdb db = engine.open("g", OPTIONS)) {
                assertSameAsReference("format 1 beside format 2", db, reference);
                // Ten more parts: the shard merges them all, the format 1 part included.
                for (int i = 1; i <= 10; i++) {
                    db.write(new WriteBatch("m", FIELDS, 1).add(b, T0 + i, 1.5 * i, (long) i));
                    reference.write(b, T0 + i, new long[] {Double.doubleToRawLongBits(1.5 * i), i});
                    db.flush();
                }
                // Merges run in the background: wait for the state, do not assume it.
                dev.banyan.testsupport.Await.until("the format 1 part merged away", java.time.Duration.ofSeconds(60),
                        () -> Files.notExists(shard.resolve("part-0000000000000000.bin")));
                assertSameAsReference("merged", db, reference);
            }
            try (Stream<Path> parts = Files.list(shard)) {
                for (Path part : parts.toList()) {
                    int magic = ByteBuffer.wrap(Files.readAllBytes(part), 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    assertEquals(part.toString(), PartWriter.FORMAT_2, magic);
                }
            }
        }
    }

    private static void assertSameAsReference(String when, Tsdb db, ReferenceAggregates reference) {
        SeriesRows rows = db.query(Query.of("m", TimeRange.all()).where("host", "a")).series().get(0);
        assertEquals(when, 1000, rows.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(when, 9007199254740993L + i, rows.longValue("l", i));
            assertEquals(when, Double.doubleToRawLongBits(i % 97 == 0 ? Double.NaN : i * 0.25), rows.columns().get(0)[i]);
        }
        for (long bucket : new long[] {0, 3_600_000L, 1_800_000L}) {
            for (Query q : List.of(Query.of("m", TimeRange.all()), Query.of("m", new TimeRange(T0 + 3_600_000L, T0 + 7_200_000L)))) {
                Query query = q.aggregate(AggregateFunction.values()).bucket(bucket);
                assertEquals(when + " " + query, reference.aggregate(query), db.query(query).rows());
                assertEquals(when + " " + query, reference.aggregate(query.groupBy()), db.query(query.groupBy()).rows());
            }
        }
    }
}
