package dev.banyan.promql;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.Labels;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryException.ErrorType;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.api.Series;
import dev.banyan.promql.api.SeriesSource;
import dev.banyan.promql.difftest.InMemorySource;
import dev.banyan.promql.internal.PromQLEngineComponent;

/** Engine rules that the differential corpus cannot show against Prometheus: limits, error classes, RE2. */
public class PromQLEngineTest {

    private static final double STALE = Double.longBitsToDouble(Series.STALE_NAN_BITS);
    private final PromQLEngineComponent engine = new PromQLEngineComponent();

    private static Series series(String name, long[] t, double[] v) {
        return new Series(Labels.of("__name__", name), t, v);
    }

    @Test
    public void staleness_markerEndsSeriesButOrdinaryNaNIsAValue() {
        SeriesSource source = new InMemorySource(List.of(
                series("stale", new long[] {1000, 16000}, new double[] {1, STALE}),
                series("plain_nan", new long[] {1000, 16000}, new double[] {1, Double.NaN})));
        QueryResult stale = engine.instantQuery(source, "stale", 20_000, QueryLimits.DEFAULT);
        QueryResult nan = engine.instantQuery(source, "plain_nan", 20_000, QueryLimits.DEFAULT);
        assertEquals(0, stale.series().size());
        assertEquals(1, nan.series().size());
        assertTrue(Double.isNaN(nan.series().get(0).values()[0]));
        // Before the marker the sample is still visible; a range function skips the marker.
        assertEquals(1, engine.instantQuery(source, "stale", 15_999, QueryLimits.DEFAULT).series().size());
        assertEquals(1.0, engine.instantQuery(source, "count_over_time(stale[1m])", 20_000, QueryLimits.DEFAULT)
                .series().get(0).values()[0], 0);
    }

    @Test
    public void limits_tooManySamples_isAnExecutionErrorNamingTheLimit() {
        SeriesSource source = new InMemorySource(List.of(series("m", new long[] {1000, 2000, 3000}, new double[] {1, 2, 3})));
        QueryException e = assertThrows(QueryException.class,
                () -> engine.instantQuery(source, "sum_over_time(m[1m])", 10_000, new QueryLimits(10_000, 2, 300_000)));
        assertEquals(ErrorType.EXECUTION, e.type());
        assertTrue(e.getMessage(), e.getMessage().contains("too many samples") && e.getMessage().contains("limit 2"));
        // 3 samples loaded and 1 point produced
        assertEquals(6.0, engine.instantQuery(source, "sum_over_time(m[1m])", 10_000, new QueryLimits(10_000, 4, 300_000))
                .series().get(0).values()[0], 0);
    }

    @Test
    public void limits_slowQuery_isATimeoutError() {
        SeriesSource slow = new InMemorySource(List.of(series("m", new long[] {1000}, new double[] {1}))) {
            @Override
            public List<Series> select(List<LabelMatcher> matchers, long minTimeMs, long maxTimeMs) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.select(matchers, minTimeMs, maxTimeMs);
            }
        };
        QueryException e = assertThrows(QueryException.class,
                () -> engine.rangeQuery(slow, "m + m", 0, 600_000, 1000, new QueryLimits(100, 1_000_000, 300_000)));
        assertEquals(ErrorType.TIMEOUT, e.type());
        assertEquals(503, e.type().httpStatus());
    }

    @Test
    public void rangeQuery_badStepsAndTypes_areBadData() {
        SeriesSource source = new InMemorySource(List.of());
        for (long[] bad : new long[][] {{0, 1000, 0}, {0, 1000, -1}, {2000, 1000, 1}, {0, 11_001_000, 1000}}) {
            QueryException e = assertThrows(QueryException.class,
                    () -> engine.rangeQuery(source, "1", bad[0], bad[1], bad[2], QueryLimits.DEFAULT));
            assertEquals(ErrorType.BAD_DATA, e.type());
        }
        assertEquals(11_001, engine.rangeQuery(source, "1", 0, 11_000_000, 1000, QueryLimits.DEFAULT)
                .series().get(0).size());
    }

    @Test
    public void regex_re2OnlyConstructs_areRefusedAtParseTime() {
        SeriesSource source = new InMemorySource(List.of());
        for (String re : List.of("a(?=b)", "a(?!b)", "(?<=a)b", "(?<!a)b", "(a)\\1", "a*+", "(?>a)")) {
            QueryException e = assertThrows(re, QueryException.class,
                    () -> engine.instantQuery(source, "m{l=~\"" + re.replace("\\", "\\\\") + "\"}", 0, QueryLimits.DEFAULT));
            assertEquals(re, ErrorType.BAD_DATA, e.type());
            assertTrue(e.getMessage(), e.getMessage().contains("error parsing regexp"));
        }
    }

    @Test
    public void regex_re2Syntax_matchesWholeValuesLikeGo() {
        assertTrue(LabelMatcher.of("l", LabelMatcher.Type.REGEX, "(?P<x>a)b").matches("ab"));
        assertTrue(LabelMatcher.of("l", LabelMatcher.Type.REGEX, "[[:digit:]]+").matches("123"));
        assertTrue(LabelMatcher.of("l", LabelMatcher.Type.REGEX, "[a[]+").matches("a[a"));
        // Anchored at both ends; Java's "$" before a final newline must not count as the end.
        assertTrue(!LabelMatcher.of("l", LabelMatcher.Type.REGEX, "abc").matches("abc\n"));
        assertTrue(!LabelMatcher.of("l", LabelMatcher.Type.REGEX, "b").matches("abc"));
        assertTrue(LabelMatcher.of("l", LabelMatcher.Type.NOT_REGEX, "b").matches(""));
    }

    @Test
    public void parseSelector_acceptsOnlyVectorSelectors() {
        assertEquals(2, engine.parseSelector("up{job=\"api\"}").size());
        assertEquals(ErrorType.BAD_DATA, assertThrows(QueryException.class, () -> engine.parseSelector("sum(up)")).type());
        assertEquals(ErrorType.BAD_DATA, assertThrows(QueryException.class, () -> engine.parseSelector("up[5m]")).type());
    }

    /** A client's expression, however deep, is a 400 naming the nesting limit, never a StackOverflowError. */
    @Test
    public void nesting_deeplyNestedParentheses_isBadDataNamingTheLimit() {
        SeriesSource source = new InMemorySource(List.of(series("m", new long[] {1000}, new double[] {1})));
        String deep = "(".repeat(3000) + "m" + ")".repeat(3000);
        QueryException e = assertThrows(QueryException.class, () -> engine.instantQuery(source, deep, 2000, QueryLimits.DEFAULT));
        assertEquals(ErrorType.BAD_DATA, e.type());
        assertTrue(e.getMessage(), e.getMessage().contains("nested") && e.getMessage().contains("limit of 256"));
        // At the limit it still evaluates.
        String limit = "(".repeat(255) + "m" + ")".repeat(255);
        assertEquals(1.0, engine.instantQuery(source, limit, 2000, QueryLimits.DEFAULT).series().get(0).values()[0], 0);
    }

    /** Nesting without parentheses (unary signs, function calls, long operator chains) is refused the same way. */
    @Test
    public void nesting_deepOperatorChainsAndCalls_areBadDataNamingTheLimit() {
        SeriesSource source = new InMemorySource(List.of(series("m", new long[] {1000}, new double[] {1})));
        for (String deep : List.of("-".repeat(20_000) + "1", "abs(".repeat(3000) + "m" + ")".repeat(3000),
                "m" + " + m".repeat(50_000), "{__name__=\"m\"}" + " * 1".repeat(50_000))) {
            QueryException e = assertThrows(deep.substring(0, 20), QueryException.class,
                    () -> engine.rangeQuery(source, deep, 1000, 2000, 1000, QueryLimits.DEFAULT));
            assertEquals(ErrorType.BAD_DATA, e.type());
            assertTrue(e.getMessage(), e.getMessage().contains("nested") && e.getMessage().contains("limit of 256"));
        }
    }

    /** Ranges and durations beyond 64-bit milliseconds are the client's mistake, never an arithmetic failure. */
    @Test
    public void overflow_hugeRangesAndDurations_areBadData() {
        SeriesSource source = new InMemorySource(List.of(series("m", new long[] {1000}, new double[] {1})));
        QueryException range = assertThrows(QueryException.class,
                () -> engine.rangeQuery(source, "m", -9_000_000_000_000_000_000L, 9_000_000_000_000_000_000L, 1_000_000_000_000_000L,
                        QueryLimits.DEFAULT));
        assertEquals(ErrorType.BAD_DATA, range.type());
        for (String expr : List.of("m[99999999999999999999y]", "count_over_time(m[300000000y])", "m offset 99999999999999999999s")) {
            QueryException e = assertThrows(expr, QueryException.class, () -> engine.instantQuery(source, expr, 2000, QueryLimits.DEFAULT));
            assertEquals(expr, ErrorType.BAD_DATA, e.type());
        }
    }

    /** A bad regular expression is named as the client wrote it, not as an internal translation. */
    @Test
    public void regex_invalidPattern_errorQuotesTheClientsRegex() {
        SeriesSource source = new InMemorySource(List.of(series("m", new long[] {1000}, new double[] {1})));
        QueryException e = assertThrows(QueryException.class,
                () -> engine.instantQuery(source, "m{job=~\"[\"}", 2000, QueryLimits.DEFAULT));
        assertEquals(ErrorType.BAD_DATA, e.type());
        assertTrue(e.getMessage(), e.getMessage().contains("\"[\"") && !e.getMessage().contains("(?:"));
        QueryException replace = assertThrows(QueryException.class, () -> engine.instantQuery(source,
                "label_replace(m, \"a\", \"$1\", \"__name__\", \"(x\")", 2000, QueryLimits.DEFAULT));
        assertTrue(replace.getMessage(), replace.getMessage().contains(": (x (Unclosed group)") && !replace.getMessage().contains("(?:"));
    }
}
