package dev.banyan.benchmarks;

import java.nio.file.Path;

/** One engine under test: the same workload, the same answers expected. */
interface Engine extends AutoCloseable {

    String name();

    /** Opens a fresh store in {@code dir}; {@code durable}: one fsync'd commit per 10,000 points. */
    void open(Path dir, boolean durable) throws Exception;

    /** Ingests all of D1 in arrival order; returns once every point is acknowledged. */
    void ingest(D1Dataset data) throws Exception;

    /** q1: host_500 from 12:00 to 13:00 UTC on 2024-01-01; returns the sum of the values (360 points). */
    double q1() throws Exception;

    /** q2: every host, same hour, avg and max of value per host; returns the sum over hosts of avg + max. */
    double q2() throws Exception;

    /** q2 over 12:07-13:07, a window that does not line up with hours: the same work without aligned blocks. */
    double q2Unaligned() throws Exception;

    /** q3: count and sum of value over all points; returns {count, sum}. */
    double[] q3() throws Exception;

    @Override
    void close() throws Exception;
}
