package dev.banyan.promql.difftest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.internal.PromQLEngineComponent;

/**
 * The engine over the synthetic data held in memory against a real Prometheus 2.42 holding the same
 * data (written through its remote-write receiver): every corpus expression must give the same
 * answer. Semantic bugs show up here before any storage or HTTP is involved.
 */
public class EngineVersusPrometheusTest {

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static PrometheusProcess prometheus;
    private static PrometheusApi api;
    private static InMemorySource source;
    private static List<Corpus.Entry> corpus;
    private final PromQLEngineComponent engine = new PromQLEngineComponent();

    @BeforeClass
    public static void loadBoth() throws Exception {
        List<Series> data = SyntheticDataset.generate(SyntheticDataset.FIXED_START_MS);
        source = new InMemorySource(data);
        corpus = Corpus.load(SyntheticDataset.FIXED_START_MS);
        prometheus = PrometheusProcess.start(TMP.newFolder("prometheus").toPath());
        api = new PrometheusApi(prometheus.base(), null);
        RemoteWrite.send(HttpClient.newHttpClient(), prometheus.remoteWrite(),
                RemoteWrite.encode(data), null);
    }

    @AfterClass
    public static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private ApiResult banyan(Corpus.Entry e) {
        try {
            QueryResult r = e.range()
                    ? engine.rangeQuery(source, e.expr(), e.startMs(), e.endMs(), e.stepMs(), QueryLimits.DEFAULT)
                    : engine.instantQuery(source, e.expr(), e.startMs(), QueryLimits.DEFAULT);
            return ApiResult.of(r);
        } catch (QueryException ex) {
            return ApiResult.of(ex);
        }
    }

    @Test
    public void corpus_answersAgreeWithPrometheus() throws Exception {
        List<String> failures = new ArrayList<>();
        int compared = 0;
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (Corpus.Entry e : corpus) {
            if (e.unsupported()) {
                continue;
            }
            compared++;
            ApiResult expected = api.query(e);
            kinds.merge(expected.status().equals("success") ? (expected.series().isEmpty() && expected.string() == null
                    ? "empty" : expected.resultType()) : expected.errorType(), 1, Integer::sum);
            String difference = expected.difference(banyan(e));
            if (difference != null) {
                failures.add(e + "\n    " + difference);
            }
        }
        System.out.println("differential corpus: " + compared + " expressions compared with Prometheus, answers by kind " + kinds);
        assertTrue("the corpus must hold at least 150 compared expressions, has " + compared, compared >= 150);
        assertTrue("long *_over_time windows are answered from window statistics", source.windowStatsCalls() > 0);
        assertEquals(failures.size() + " of " + compared + " expressions disagree:\n" + String.join("\n", failures), 0,
                failures.size());
    }

    @Test
    public void corpus_unsupportedFeatures_failWithBadDataWhilePrometheusAnswers() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Corpus.Entry e : corpus) {
            if (!e.unsupported()) {
                continue;
            }
            ApiResult prom = api.query(e);
            ApiResult ours = banyan(e);
            if (!prom.status().equals("success")) {
                failures.add(e + ": Prometheus does not support it either (" + prom.error() + "); make it an ordinary entry");
            }
            if (!"bad_data".equals(ours.errorType()) || !ours.error().contains("not supported by Banyan")) {
                failures.add(e + ": expected a bad_data error naming the unsupported feature, got " + ours);
            }
        }
        assertEquals(String.join("\n", failures), 0, failures.size());
    }
}
