package dev.banyan.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * Issue #14 item 2, memory: the heap one shard holds per active series. Writes one recent point to
 * each of N series with D3's seven tags (batches of 5,000, {@link Durability#OS}), so every series is
 * in the memtable, and prints the heap in use after full GCs minus the heap before, per series.
 * Arguments: the series counts (default 200000 1000000); run with a heap that holds them
 * ({@code java -Xmx12g -cp ... dev.banyan.benchmarks.ActiveSeriesMemory}).
 */
public final class ActiveSeriesMemory {

    private ActiveSeriesMemory() {
    }

    public static void main(String[] args) throws Exception {
        for (String count : args.length > 0 ? args : new String[] {"200000", "1000000"}) {
            measure(Integer.parseInt(count));
        }
    }

    private static void measure(int series) throws Exception {
        Path dir = Files.createTempDirectory("active-series");
        long now = System.currentTimeMillis();
        TsdbEngine engine = new TsdbEngine(dir, StorageVersions.bundled(), Clock.systemUTC());
        try {
            Tsdb db = engine.open("g", TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(30), 1).withRotation(false)
                    .withRetention(false).withDurability(Durability.OS));
            long before = heapAfterGc();
            WriteBatch batch = new WriteBatch("m", List.of(FieldDef.ofDouble("value")), D3Dataset.BATCH);
            for (int i = 0; i < series; i++) {
                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("region", "region_" + (i % 12));
                tags.put("az", "az_" + (i % 3));
                tags.put("rack", "rack_" + (i % 500));
                tags.put("service", "svc_" + (i % 80));
                tags.put("version", "v" + (i % 7));
                tags.put("team", "team_" + (i % 25));
                batch.add(SeriesRef.of("m", Map.of("host", "host_" + i), tags), now - 60_000, (double) (i % 1000));
                if (batch.size() == D3Dataset.BATCH) {
                    db.write(batch);
                    batch.clear();
                }
            }
            if (batch.size() > 0) {
                db.write(batch);
            }
            long held = heapAfterGc() - before;
            System.out.printf("%,d active series (7 tags, one point each, in the memtable): %.1f MiB of heap, %.0f bytes per series%n",
                    series, held / 1048576.0, (double) held / series);
        } finally {
            engine.close();
            Measure.deleteTree(dir);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
