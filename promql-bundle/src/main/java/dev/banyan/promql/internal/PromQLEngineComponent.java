package dev.banyan.promql.internal;

import java.util.List;

import org.osgi.service.component.annotations.Component;

import dev.banyan.promql.api.LabelMatcher;
import dev.banyan.promql.api.PromQLEngine;
import dev.banyan.promql.api.QueryException;
import dev.banyan.promql.api.QueryLimits;
import dev.banyan.promql.api.QueryResult;
import dev.banyan.promql.api.QueryResult.ResultType;
import dev.banyan.promql.api.SeriesSource;
import dev.banyan.promql.internal.eval.Evaluator;
import dev.banyan.promql.internal.parse.Ast.Expr;
import dev.banyan.promql.internal.parse.Ast.ValueType;
import dev.banyan.promql.internal.parse.AstBuilder;

/** The PromQL engine service: parse, check, evaluate. Stateless, so one instance serves every query. */
@Component(service = PromQLEngine.class, immediate = true)
public final class PromQLEngineComponent implements PromQLEngine {

    /** Prometheus refuses range queries with more steps than this per series. */
    static final long MAX_STEPS = 11_000;

    @Override
    public QueryResult instantQuery(SeriesSource source, String expression, long timeMs, QueryLimits limits) {
        Expr expr = AstBuilder.parse(expression);
        Evaluator evaluator = new Evaluator(source, limits, new long[] {timeMs});
        try {
            return switch (expr.type()) {
                case SCALAR -> new QueryResult(ResultType.SCALAR, List.of(), timeMs, evaluator.evalScalar(expr), null);
                case STRING -> new QueryResult(ResultType.STRING, List.of(), timeMs, Double.NaN, evaluator.evalString(expr));
                case MATRIX -> new QueryResult(ResultType.MATRIX, evaluator.evalMatrix(expr), timeMs, Double.NaN, null);
                case VECTOR -> new QueryResult(ResultType.VECTOR, evaluator.evalSteps(expr), timeMs, Double.NaN, null);
            };
        } catch (StackOverflowError e) {
            throw AstBuilder.tooDeep();
        }
    }

    @Override
    public QueryResult rangeQuery(SeriesSource source, String expression, long startMs, long endMs, long stepMs,
            QueryLimits limits) {
        if (stepMs <= 0) {
            throw badData("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMs < startMs) {
            throw badData("end timestamp must not be before start time");
        }
        long span = endMs - startMs; // negative only if it overflowed: end is not before start
        if (span < 0 || span / stepMs > MAX_STEPS) {
            throw badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
        }
        Expr expr = AstBuilder.parse(expression);
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
            throw badData("invalid expression type \"" + expr.type() + "\" for range query, must be Scalar or instant Vector");
        }
        int n = (int) ((endMs - startMs) / stepMs) + 1;
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = startMs + i * stepMs;
        }
        Evaluator evaluator = new Evaluator(source, limits, steps);
        List<dev.banyan.promql.api.Series> series;
        try {
            series = new java.util.ArrayList<>(evaluator.evalSteps(expr));
        } catch (StackOverflowError e) {
            throw AstBuilder.tooDeep();
        }
        series.sort(java.util.Comparator.comparing(dev.banyan.promql.api.Series::labels));
        return new QueryResult(ResultType.MATRIX, series, startMs, Double.NaN, null);
    }

    @Override
    public List<LabelMatcher> parseSelector(String selector) {
        return AstBuilder.parseSelector(selector);
    }

    private static QueryException badData(String message) {
        return new QueryException(QueryException.ErrorType.BAD_DATA, message);
    }
}
