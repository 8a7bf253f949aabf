package dev.banyan.benchmarks.http;

import dev.banyan.benchmarks.D1Dataset;
import dev.banyan.benchmarks.D3Dataset;

/**
 * A data set as collectors send it: one metric, series with labels, samples in arrival order, sent
 * in batches.
 *
 * @param name       D1 or D3 (with the scale where scaled down)
 * @param metric     the metric name (Prometheus {@code __name__}, line protocol measurement); its one
 *                   field in line protocol is {@code value}
 * @param labelNames label names, sorted (line protocol wants its tags sorted)
 * @param labels     labels[l][s]: the value of label {@code labelNames[l]} of series s
 * @param series     per sample, in arrival order: its series
 * @param times      per sample: its timestamp, ms since the epoch
 * @param values     per sample: its value
 * @param batch      samples per request
 */
record WireData(String name, String metric, String[] labelNames, String[][] labels, int[] series, long[] times, double[] values,
        int batch) {

    int samples() {
        return series.length;
    }

    int seriesCount() {
        return labels[0].length;
    }

    /** D1 with its first {@code timestamps} timestamps: {@code d1_value{host, region}}, batches of 10,000 samples. */
    static WireData d1(int timestamps) {
        D1Dataset d1 = new D1Dataset(timestamps);
        int n = d1.values.length;
        int[] series = new int[n];
        long[] times = new long[n];
        for (int k = 0; k < n; k++) {
            series[k] = k % D1Dataset.SERIES;
            times[k] = D1Dataset.timestamp(k / D1Dataset.SERIES);
        }
        String name = timestamps == D1Dataset.TIMESTAMPS ? "D1" : String.format("D1 scaled to %,d timestamps", timestamps);
        return new WireData(name, "d1_value", new String[] {"host", "region"}, new String[][] {d1.hosts, d1.regions}, series, times,
                d1.values, D1Dataset.BATCH);
    }

    /** D3 with {@code seriesCount} series: {@code d3_value{az, host, rack, region, service, team, version}}, batches of 5,000. */
    static WireData d3(int seriesCount) {
        D3Dataset d3 = new D3Dataset(seriesCount);
        String[] names = {"az", "host", "rack", "region", "service", "team", "version"};
        String[][] labels = new String[names.length][];
        for (int l = 0; l < names.length; l++) {
            labels[l] = d3.tags[java.util.Arrays.asList(D3Dataset.TAG_NAMES).indexOf(names[l])];
        }
        long[] times = new long[d3.series.length];
        for (int k = 0; k < times.length; k++) {
            times[k] = D3Dataset.timestamp(d3.timestamp[k]);
        }
        String name = seriesCount == D3Dataset.SERIES ? "D3" : String.format("D3 scaled to %,d series", seriesCount);
        return new WireData(name, "d3_value", names, labels, d3.series, times, d3.values, D3Dataset.BATCH);
    }
}
