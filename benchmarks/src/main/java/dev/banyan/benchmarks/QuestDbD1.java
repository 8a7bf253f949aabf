package dev.banyan.benchmarks;

import java.util.HashMap;
import java.util.Map;

import io.questdb.cairo.TableWriter;

/**
 * D1 through QuestDB: table {@code m(host SYMBOL, region SYMBOL, value DOUBLE, ts TIMESTAMP)
 * PARTITION BY DAY BYPASS WAL}; default mode commits every 100,000 rows, durable mode every 10,000.
 */
final class QuestDbD1 extends QuestDbStore<D1Dataset> {

    private static final String HOUR = "ts >= '2024-01-01T12:00:00.000000Z' AND ts < '2024-01-01T13:00:00.000000Z'";
    private static final String UNALIGNED_HOUR = "ts >= '2024-01-01T12:07:00.000000Z' AND ts < '2024-01-01T13:07:00.000000Z'";

    @Override
    protected String createTable() {
        return "CREATE TABLE m (host SYMBOL, region SYMBOL, value DOUBLE, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY BYPASS WAL";
    }

    @Override
    public void ingest(D1Dataset data) {
        append(D1Dataset.POINTS, durable ? D1Dataset.BATCH : 100_000, (writer, p) -> {
            int i = p % D1Dataset.SERIES;
            TableWriter.Row row = writer.newRow(D1Dataset.timestamp(p / D1Dataset.SERIES) * 1000);
            row.putSym(0, data.hosts[i]);
            row.putSym(1, data.regions[i]);
            row.putDouble(2, data.values[p]);
            row.append();
        });
    }

    @Override
    public Answer query(int q) throws Exception {
        return switch (q) {
            case 0 -> rowsAndSum("SELECT value FROM m WHERE host = 'host_500' AND " + HOUR);
            case 1 -> q2(HOUR);
            case 2 -> countSum("SELECT count(), sum(value) FROM m");
            default -> q2(UNALIGNED_HOUR);
        };
    }

    private Answer q2(String window) throws Exception {
        Map<String, Double> answer = new HashMap<>();
        select("SELECT host, avg(value), max(value) FROM m WHERE " + window, r -> {
            String host = r.getSymA(0).toString();
            answer.put(host + " avg", r.getDouble(1));
            answer.put(host + " max", r.getDouble(2));
        });
        return Answer.of(answer);
    }
}
