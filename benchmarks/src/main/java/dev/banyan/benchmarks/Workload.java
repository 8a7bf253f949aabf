package dev.banyan.benchmarks;

import java.util.List;

/**
 * A data set with the queries asked of it.
 *
 * @param name    as in ../shared/BENCHMARK.md (D1, D3)
 * @param data    generated once, before any engine is timed
 * @param points  points in the data set
 * @param queries the figures the queries are reported under, in {@link Engine#query} order
 */
record Workload<D>(String name, D data, long points, List<Figure> queries) {

    /** A reported figure and the target its ratio (ours / peer) must meet, or "(info)". */
    record Figure(String label, String target) {
    }
}
