package dev.banyan.promql.api;

import java.util.List;

/**
 * The value of a query, shaped as the Prometheus API's {@code data} object.
 *
 * @param type   {@code matrix} (a range query, or an instant query of a range vector),
 *               {@code vector}, {@code scalar} or {@code string}
 * @param series for {@code matrix}: each series with its points; for {@code vector}: each series with
 *               exactly one point at the evaluation time; otherwise empty
 * @param time   for {@code scalar} and {@code string}: the evaluation time in epoch milliseconds
 * @param scalar the value of a {@code scalar}
 * @param string the value of a {@code string}
 */
public record QueryResult(ResultType type, List<Series> series, long time, double scalar, String string) {

    /** The {@code resultType} of the Prometheus API. */
    public enum ResultType {
        MATRIX("matrix"), VECTOR("vector"), SCALAR("scalar"), STRING("string");

        private final String apiName;

        ResultType(String apiName) {
            this.apiName = apiName;
        }

        public String apiName() {
            return apiName;
        }
    }

    public QueryResult {
        series = List.copyOf(series);
    }

    /**
     * A sample value as Prometheus writes it (Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}): the
     * shortest decimal that reads back as {@code v}, never an exponent; {@code NaN}, {@code +Inf},
     * {@code -Inf}, {@code -0}. The API's JSON and {@code count_values} labels use it.
     */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
