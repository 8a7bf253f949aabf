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

    protected TableWriter writer() {
        return engine.getWriter(engine.getTableTokenIfExists("m"), "bench");
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
