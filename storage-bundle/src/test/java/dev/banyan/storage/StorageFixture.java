package dev.banyan.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.internal.part.PartWriter;
import dev.banyan.storage.internal.shard.SeriesDef;

import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/** Builds engines over temporary directories and plants segments the way older releases left them. */
final class StorageFixture {

    /**
     * The engine clock's zone: far from UTC, so tests prove new groups name segments in UTC whatever
     * the zone, and that older groups planted with names in this zone are read in it.
     */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final TsdbOptions DAILY = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(3), 2);
    static final TsdbOptions HOURLY = TsdbOptions.of(IntervalRule.hours(1), IntervalRule.hours(6), 1);

    private StorageFixture() {
    }

    static TsdbEngine engine(Path root) {
        return new TsdbEngine(root, StorageVersions.bundled(), Clock.system(ZONE));
    }

    static long local(int year, int month, int day, int hour, int minute, int second) {
        return LocalDateTime.of(year, month, day, hour, minute, second).atZone(ZONE).toInstant().toEpochMilli();
    }

    /** An instant on the UTC wall clock: segment names of groups created by this release are UTC [S12]. */
    static long utc(int year, int month, int day, int hour, int minute, int second) {
        return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
    }

    static long plus(long millis, Duration d) {
        return Instant.ofEpochMilli(millis).plus(d).toEpochMilli();
    }

    /** A segment dir with the given metadata body (null: no metadata file) and one shard data file. */
    static Path plantSegment(Path groupDir, String name, String metadataBody, boolean withShardData) throws IOException {
        Path seg = Files.createDirectories(groupDir.resolve(name));
        if (metadataBody != null) {
            Files.writeString(seg.resolve("metadata"), metadataBody, StandardCharsets.UTF_8);
        }
        if (withShardData) {
            Path shard = Files.createDirectories(seg.resolve("shard-0"));
            SeriesDef def = new SeriesDef(SeriesRef.of("cpu", "host", "h1"), List.of(FieldDef.ofDouble("value")));
            long ts = local(2024, 1, 1, 0, 0, 0);
            long[] timestamps = {ts, ts + 10_000, ts + 20_000};
            long[] values = {Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(2.5), Double.doubleToRawLongBits(3.5)};
            PartWriter.write(shard.resolve("part-0000000000000001.bin"), List.of(new PartWriter.SeriesData(def, timestamps, values, 3)));
        }
        return seg;
    }
}
