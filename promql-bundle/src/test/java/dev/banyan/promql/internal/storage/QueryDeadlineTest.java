package dev.banyan.promql.internal.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.internal.PromQLConfig;
import dev.banyan.promql.internal.PromQLEngineComponent;
import dev.banyan.schema.api.Catalog;
import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.Readiness;
import dev.banyan.schema.api.ResourceOpts;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.schema.internal.registry.EmbeddedRegistry;
import dev.banyan.schema.internal.registry.RetryClock;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.MeasureService;
import dev.banyan.storage.api.Query;
import dev.banyan.storage.api.QueryResult;
import dev.banyan.storage.api.TagMatcher;
import dev.banyan.storage.api.TimeRange;

/**
 * A query's timeout holds inside the series fetch: a query touching many metrics stops at its
 * deadline, not after reading every metric. Counted in storage reads, not measured in time.
 */
public class QueryDeadlineTest {

    private static final int METRICS = 100;
    private static final long READ_MS = 50;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A storage whose every read takes {@value #READ_MS} ms and finds nothing; counts the reads. */
    private static final class SlowStorage implements MeasureService {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public QueryResult query(String group, Query query) {
            reads.incrementAndGet();
            try {
                Thread.sleep(READ_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new QueryResult(List.of(), List.of());
        }

        @Override
        public void write(String group, String measure, List<DataPoint> points) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Map<String, String>> series(String group, String measure, List<TagMatcher> matchers, TimeRange range) {
            return List.of();
        }

        @Override
        public List<String> tagValues(String group, String measure, String tag, List<TagMatcher> matchers, TimeRange range) {
            return List.of();
        }

        @Override
        public List<dev.banyan.schema.api.GroupStatus> status() {
            return List.of();
        }

        @Override
        public Readiness readiness() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TimeRange acceptedTimestamps(String group) {
            throw new UnsupportedOperationException();
        }
    }

    private static PromQLConfig config() {
        return new PromQLConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return PromQLConfig.class;
            }

            @Override
            public String group() {
                return "prometheus";
            }

            @Override
            public long queryTimeoutMs() {
                return 120_000;
            }

            @Override
            public long maxSamples() {
                return 50_000_000;
            }

            @Override
            public long lookbackDeltaMs() {
                return 300_000;
            }
        };
    }

    @Test
    public void timeout_stopsTheSeriesFetchOfAQueryOverManyMetrics() {
        EmbeddedRegistry registry = new EmbeddedRegistry(tmp.getRoot().toPath(), RetryClock.SYSTEM, Duration.ofMinutes(1));
        registry.createGroup(Group.of("prometheus", Catalog.MEASURE, new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(15))));
        for (int i = 0; i < METRICS; i++) {
            registry.createMeasure(new Measure("prometheus", "metric_" + i, List.of(new TagSpec("series-labels", TagSpec.TagType.STRING)),
                    List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("series-labels"), 0, 0));
        }
        SlowStorage storage = new SlowStorage();
        MeasureSeriesSource source = new MeasureSeriesSource(storage, registry, config());
        PromQLEngineComponent engine = new PromQLEngineComponent();
        long now = 1_704_067_200_000L;
        for (String expr : List.of("count(count_over_time({__name__=~\".+\"}[1y]))", "sum({__name__=~\"metric_.*\"})")) {
            storage.reads.set(0);
            QueryException e = assertThrows(expr, QueryException.class,
                    () -> engine.instantQuery(source, expr, now, new QueryLimits(5, 50_000_000, 300_000)));
            assertEquals(expr, QueryException.ErrorType.TIMEOUT, e.type());
            assertTrue(expr + ": " + storage.reads.get() + " storage reads of " + METRICS + " metrics after a 5 ms timeout",
                    storage.reads.get() <= 3);
        }
    }
}
