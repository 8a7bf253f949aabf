package dev.banyan.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CommitMode;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.log.LogFactory;

/**
 * The peer: embedded QuestDB 9.3.4, one table {@code m} written with a {@code TableWriter}
 * (BYPASS WAL) and read with SQL. Default mode: {@code CommitMode.NOSYNC}; durable: {@code SYNC}.
 */
abstract class QuestDbStore<D> implements Engine<D> {

    static {
        // QuestDB logs every commit at INFO on stdout; keep its errors only. Read once, when its logging starts.
        try {
            Path conf = Files.createTempFile("questdb-log", ".conf");
            Files.writeString(conf, "writers=stdout\nw.stdout.class=io.questdb.log.LogConsoleWriter\nw.stdout.level=ERROR\n");
            conf.toFile().deleteOnExit();
            System.setProperty(LogFactory.CONFIG_SYSTEM_PROPERTY, conf.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CairoEngine engine;
    private SqlExecutionContextImpl context;
    protected boolean durable;

    /** The {@code CREATE TABLE m ...} statement. */
    protected abstract String createTable();

    @Override
    public String name() {
        return "QuestDB";
    }

    @Override
    public void open(Path dir, boolean durableMode) throws Exception {
        this.durable = durableMode;
        int mode = durableMode ? CommitMode.SYNC : CommitMode.NOSYNC;
        attach(new DefaultCairoConfiguration(dir.toString()) {
            @Override
            public int getCommitMode() {
                return mode;
            }
        });
        engine.execute(createTable(), context);
    }

    @Override
    public void reopen(Path dir) {
        attach(new DefaultCairoConfiguration(dir.toString()));
    }

    private void attach(DefaultCairoConfiguration configuration) {
        engine = new CairoEngine(configuration);
        context = new SqlExecutionContextImpl(engine, 1).with(AllowAllSecurityContext.INSTANCE);
    }

    /** Writes one row (point {@code point} of the data set) with {@code writer.newRow}. */
    protected interface RowWriter {
        void write(TableWriter writer, int point);
    }

    /** Appends {@code points} rows in arrival order, committing every {@code commitEvery} rows and at the end. */
    protected void append(long points, int commitEvery, RowWriter rows) {
        try (TableWriter writer = engine.getWriter(engine.getTableTokenIfExists("m"), "bench")) {
            for (int p = 0; p < points; p++) {
                rows.write(writer, p);
                if ((p + 1) % commitEvery == 0) {
                    writer.commit();
                }
            }
            writer.commit();
        }
    }

    /** The number of rows and the sum of column 0 of a SELECT: raw values summed here, as Banyan's are. */
    protected Answer rowsAndSum(String sql) throws Exception {
        double[] countSum = new double[2];
        select(sql, r -> {
            countSum[0]++;
            countSum[1] += r.getDouble(0);
        });
        return Answer.of("count", countSum[0], "sum", countSum[1]);
    }

    /** The {@code count(), sum(...)} row of a SELECT. */
    protected Answer countSum(String sql) throws Exception {
        double[] countSum = new double[2];
        select(sql, r -> {
            countSum[0] = r.getLong(0);
            countSum[1] = r.getDouble(1);
        });
        return Answer.of("count", countSum[0], "sum", countSum[1]);
    }

    /** Runs a SELECT and hands every record to {@code row}. */
    protected void select(String sql, Consumer<Record> row) throws Exception {
        try (RecordCursorFactory factory = engine.select(sql, context); RecordCursor cursor = factory.getCursor(context)) {
            Record record = cursor.getRecord();
            while (cursor.hasNext()) {
                row.accept(record);
            }
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
