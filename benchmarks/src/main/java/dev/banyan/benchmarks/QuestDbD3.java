package dev.banyan.benchmarks;

import java.util.HashMap;
import java.util.Map;

import io.questdb.cairo.TableWriter;

/**
 * D3 through QuestDB: one SYMBOL column per tag, capacities sized to the tag's cardinality, no
 * index (as D1's table; an index on {@code host} makes each out-of-order commit rewrite it, and the
 * ingest many times slower), {@code value DOUBLE}, {@code ts TIMESTAMP}, PARTITION BY DAY, BYPASS
 * WAL. Default mode commits every 100,000 rows (as for D1), durable mode once per 5,000-point batch.
 */
final class QuestDbD3 extends QuestDbStore<D3Dataset> {

    private static final String Q7_RANGE = "ts >= '2024-01-01T00:05:00.000000Z' AND ts < '2024-01-01T00:06:00.000000Z'";

    @Override
    protected String createTable() {
        return "CREATE TABLE m (host SYMBOL CAPACITY 262144, region SYMBOL, az SYMBOL, rack SYMBOL CAPACITY 512, "
                + "service SYMBOL, version SYMBOL, team SYMBOL, value DOUBLE, ts TIMESTAMP) TIMESTAMP(ts) "
                + "PARTITION BY DAY BYPASS WAL";
    }

    @Override
    public void ingest(D3Dataset data) {
        String[][] tags = data.tags;
        append(D3Dataset.POINTS, durable ? D3Dataset.BATCH : 100_000, (writer, p) -> {
            int i = data.series[p];
            TableWriter.Row row = writer.newRow(D3Dataset.timestamp(data.timestamp[p]) * 1000);
            for (int t = 0; t < tags.length; t++) {
                row.putSym(t, tags[t][i]);
            }
            row.putDouble(tags.length, data.values[p]);
            row.append();
        });
    }

    @Override
    public Answer query(int q) throws Exception {
        return switch (q) {
            case 0 -> rowsAndSum("SELECT value FROM m WHERE host = 'host_123457'"); // the 50 points, as Banyan returns them
            case 1 -> perGroup("SELECT region, avg(value) FROM m");
            case 2 -> countSum("SELECT count(), sum(value) FROM m");
            case 3 -> perGroup("SELECT rack, max(value) FROM m WHERE " + Q7_RANGE);
            default -> perGroup("SELECT service, sum(value) FROM m WHERE host ~ '^host_1[0-9]*7$'");
        };
    }

    private Answer perGroup(String sql) throws Exception {
        Map<String, Double> answer = new HashMap<>();
        select(sql, r -> answer.put(r.getSymA(0).toString(), r.getDouble(1)));
        return Answer.of(answer);
    }
}
