package dev.banyan.benchmarks;

import java.nio.file.Path;

/**
 * One embedded engine under test on one data set {@code D}: the same workload, the same answers
 * expected as from every other engine.
 */
interface Engine<D> extends AutoCloseable {

    String name();

    /** Opens a fresh store in {@code dir}; {@code durable}: one fsync'd commit per batch of the data set. */
    void open(Path dir, boolean durable) throws Exception;

    /** Opens the store that {@link #open}, {@link #ingest} and {@link #close} left in {@code dir}. */
    void reopen(Path dir) throws Exception;

    /** Ingests the whole data set in arrival order; returns once every point is acknowledged. */
    void ingest(D data) throws Exception;

    /** Runs query {@code q} (the index into {@link Workload#queries()}) and returns its answer. */
    Answer query(int q) throws Exception;

    @Override
    void close() throws Exception;
}
