package dev.banyan.benchmarks;

import java.nio.file.Path;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlExecutionContextImpl;

/**
 * The peer: embedded QuestDB 9.3.4 with a {@code TableWriter}, table
 * {@code m(host SYMBOL, region SYMBOL, value DOUBLE, ts TIMESTAMP) PARTITION BY DAY BYPASS WAL}.
 * Default mode: NOSYNC, commit every 100,000 rows; durable mode: SYNC, commit every 10,000 rows.
 */
final class QuestDbEngine implements Engine {

    private static final String HOUR = "ts >= '2024-01-01T12:00:00.000000Z' AND ts < '2024-01-01T13:00:00.000000Z'";
    private static final String UNALIGNED_HOUR = "ts >= '2024-01-01T12:07:00.000000Z' AND ts < '2024-01-01T13:07:00.000000Z'";

    private CairoEngine engine;
    private SqlExecutionContextImpl context;
    private boolean durable;

    @Override
    public String name() {
        return "QuestDB";
    }

    @Override
    public void open(Path dir, boolean durableMode) throws Exception {
        this.durable = durableMode;
        int mode = durableMode ? CommitMode.SYNC : CommitMode.NOSYNC;
        DefaultCairoConfiguration configuration = new DefaultCairoConfiguration(dir.toString()) {
            @Override
            public int getCommitMode() {
                return mode;
            }
        };
        engine = new CairoEngine(configuration);
        context = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE);
        engine.execute("CREATE TABLE m (host SYMBOL, region SYMBOL, value DOUBLE, ts TIMESTAMP) TIMESTAMP(ts) "
                + "PARTITION BY DAY BYPASS WAL", context);
    }

    /** Attaches to the table an earlier {@link #open} created in {@code dir}. */
    void reopen(Path dir) {
        engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()));
        context = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE);
    }

    @Override
    public void ingest(D1Dataset data) {
        int commitEvery = durable ? 10_000 : 100_000;
        try (TableWriter writer = engine.getWriter(engine.getTableTokenIfExists("m"), "d1")) {
            int k = 0;
            int sinceCommit = 0;
            for (int t = 0; t < D1Dataset.TIMESTAMPS; t++) {
                long micros = D1Dataset.timestamp(t) * 1000;
                for (int i = 0; i < D1Dataset.SERIES; i++) {
                    TableWriter.Row row = writer.newRow(micros);
                    row.putSym(0, data.hosts[i]);
                    row.putSym(1, data.regions[i]);
                    row.putDouble(2, data.values[k++]);
                    row.append();
                    if (++sinceCommit == commitEvery) {
                        writer.commit();
                        sinceCommit = 0;
                    }
                }
            }
            writer.commit();
        }
    }

    @Override
    public double q1() throws Exception {
        double sum = 0;
        int rows = 0;
        try (RecordCursorFactory factory = engine.select("SELECT value FROM m WHERE host = 'host_500' AND " + HOUR, context);
                RecordCursor cursor = factory.getCursor(context)) {
            Record record = cursor.getRecord();
            while (cursor.hasNext()) {
                sum += record.getDouble(0);
                rows++;
            }
        }
        BanyanEngine.check(rows == 360, "q1 returned " + rows + " rows");
        return sum;
    }

    @Override
    public double q2() throws Exception {
        return q2(HOUR);
    }

    @Override
    public double q2Unaligned() throws Exception {
        return q2(UNALIGNED_HOUR);
    }

    private double q2(String window) throws Exception {
        double sum = 0;
        int rows = 0;
        try (RecordCursorFactory factory = engine.select("SELECT host, avg(value), max(value) FROM m WHERE " + window, context);
                RecordCursor cursor = factory.getCursor(context)) {
            Record record = cursor.getRecord();
            while (cursor.hasNext()) {
                sum += record.getDouble(1) + record.getDouble(2);
                rows++;
            }
        }
        BanyanEngine.check(rows == 1000, "q2 returned " + rows + " rows");
        return sum;
    }

    @Override
    public double[] q3() throws Exception {
        try (RecordCursorFactory factory = engine.select("SELECT count(), sum(value) FROM m", context);
                RecordCursor cursor = factory.getCursor(context)) {
            Record record = cursor.getRecord();
            cursor.hasNext();
            return new double[] {record.getLong(0), record.getDouble(1)};
        }
    }

    @Override
    public void close() {
        if (engine != null) {
            context.close();
            engine.close();
            engine = null;
        }
    }
}
