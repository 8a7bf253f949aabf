package dev.banyan.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.banyan.storage.api.Durability;
import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.IntervalRule;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.api.SeriesRows;
import dev.banyan.storage.api.StorageException;
import dev.banyan.storage.api.TimeRange;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.storage.api.TsdbOptions;
import dev.banyan.storage.api.WriteBatch;
import dev.banyan.storage.internal.segment.StorageVersions;
import dev.banyan.storage.internal.tsdb.TsdbEngine;

/**
 * A child JVM (started with {@code -Duser.timezone=...}) that opens group {@code g} under a data root
 * with the process's default clock, as the server does, and runs commands, printing one line each:
 * {@code write <instant> <value>} prints {@code OK} or {@code REFUSED <message>};
 * {@code query <from> <to>} prints {@code POINTS [<instant>=<value>, ...]}.
 */
public final class ZoneSessionMain {

    static final TsdbOptions OPTIONS = TsdbOptions.of(IntervalRule.days(1), IntervalRule.days(7), 2)
            .withRetention(false).withDurability(Durability.FSYNC);
    static final List<FieldDef> VALUE = List.of(FieldDef.ofDouble("value"));
    static final SeriesRef SERIES = SeriesRef.of("cpu", "host", "h1");

    private ZoneSessionMain() {
    }

    public static void main(String[] args) {
        System.out.println("ZONE " + Clock.systemDefaultZone().getZone());
        try (TsdbEngine engine = new TsdbEngine(Path.of(args[0]), StorageVersions.bundled(), Clock.systemDefaultZone());
                Tsdb db = engine.open("g", OPTIONS)) {
            for (int i = 1; i < args.length; i++) {
                String[] command = args[i].split(" ");
                switch (command[0]) {
                    case "write" -> {
                        try {
                            db.write(new WriteBatch("cpu", VALUE, 1).add(SERIES, Instant.parse(command[1]).toEpochMilli(),
                                    Double.parseDouble(command[2])));
                            System.out.println("OK");
                        } catch (StorageException e) {
                            System.out.println("REFUSED " + e.getMessage());
                        }
                    }
                    case "query" -> {
                        List<String> points = new ArrayList<>();
                        TimeRange range = new TimeRange(Instant.parse(command[1]).toEpochMilli(), Instant.parse(command[2]).toEpochMilli());
                        for (SeriesRows rows : db.query(Query.of("cpu", range)).series()) {
                            for (int p = 0; p < rows.size(); p++) {
                                points.add(Instant.ofEpochMilli(rows.timestamps()[p]) + "=" + rows.doubleValue("value", p));
                            }
                        }
                        System.out.println("POINTS " + points);
                    }
                    default -> throw new IllegalArgumentException("unknown command " + args[i]);
                }
            }
        }
        System.out.println("CLOSED");
    }
}
