package dev.banyan.promql.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import dev.banyan.http.api.ApiException;

/** Parameters and numbers as Prometheus 2.42's HTTP API reads and writes them. */
public class ApiParametersTest {

    @Test
    public void time_unixSecondsOrRfc3339() {
        assertEquals(1_704_146_400_000L, ApiParameters.time("time", "1704146400"));
        assertEquals(1_704_146_400_500L, ApiParameters.time("time", "1704146400.5"));
        assertEquals(1_704_146_400_123L, ApiParameters.time("time", "1704146400.1234"));
        assertEquals(1_704_146_400_000L, ApiParameters.time("time", "2024-01-01T22:00:00Z"));
        assertEquals(1_704_146_400_250L, ApiParameters.time("time", "2024-01-01T23:00:00.25+01:00"));
        assertEquals(42L, ApiParameters.time("time", null, 42));
    }

    @Test
    public void time_malformed_isBadDataNamingTheParameter() {
        for (String bad : new String[] {"", "yesterday", "2024-13-01T00:00:00Z", "1e400"}) {
            ApiException e = assertThrows(bad, ApiException.class, () -> ApiParameters.time("start", bad));
            assertEquals(400, e.status());
            assertEquals("bad_data", e.errorType());
            assertTrue(e.getMessage(), e.getMessage().startsWith("invalid parameter \"start\""));
        }
    }

    @Test
    public void duration_secondsOrPrometheusDuration() {
        assertEquals(15_000, ApiParameters.duration("step", "15"));
        assertEquals(500, ApiParameters.duration("step", "0.5"));
        assertEquals(90_000, ApiParameters.duration("step", "1m30s"));
        assertEquals(86_400_000 + 3_600_000, ApiParameters.duration("step", "1d1h"));
        for (String bad : new String[] {"", "1x", "m", "1h1d", "-"}) {
            ApiException e = assertThrows(bad, ApiException.class, () -> ApiParameters.duration("step", bad));
            assertEquals("bad_data", e.errorType());
        }
    }

    /** A duration too large for 64-bit milliseconds is the client's mistake: 400 naming the parameter. */
    @Test
    public void duration_overflowingInt64_isBadDataNamingTheParameter() {
        for (String bad : new String[] {"99999999999999999999y", "300000000y", "9223372036854775807ms1s", "1e300"}) {
            ApiException e = assertThrows(bad, ApiException.class, () -> ApiParameters.duration("timeout", bad));
            assertEquals(bad, 400, e.status());
            assertTrue(e.getMessage(), e.getMessage().startsWith("invalid parameter \"timeout\"") && e.getMessage().contains(bad));
        }
    }

    /** Times at the ends of int64 ms are clamped (no overflow later); a range ending before it starts is 400. */
    @Test
    public void range_endBeforeStartIsBadDataAndExtremeTimesAreClamped() {
        ApiException e = assertThrows(ApiException.class, () -> ApiParameters.range("10", "5"));
        assertEquals(400, e.status());
        assertEquals("invalid parameter \"end\": end timestamp must not be before start time", e.getMessage());
        assertEquals(ApiParameters.MAX_TIME_MS, ApiParameters.time("end", "9223372036854775.807"));
        assertEquals(ApiParameters.MIN_TIME_MS, ApiParameters.time("start", "-9223372036854775.808"));
        long[] whole = ApiParameters.range(null, "");
        assertEquals(ApiParameters.MIN_TIME_MS, whole[0]);
        assertEquals(ApiParameters.MAX_TIME_MS, whole[1]);
    }

    @Test
    public void numbers_asGoFormatsThem() {
        assertEquals("1", dev.banyan.promql.api.QueryResult.formatValue(1.0));
        assertEquals("0.1", dev.banyan.promql.api.QueryResult.formatValue(0.1));
        assertEquals("-0", dev.banyan.promql.api.QueryResult.formatValue(-0.0));
        assertEquals("1000000000000000000000", dev.banyan.promql.api.QueryResult.formatValue(1e21));
        assertEquals("0.000001", dev.banyan.promql.api.QueryResult.formatValue(1e-6));
        assertEquals("NaN", dev.banyan.promql.api.QueryResult.formatValue(Double.NaN));
        assertEquals("+Inf", dev.banyan.promql.api.QueryResult.formatValue(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", dev.banyan.promql.api.QueryResult.formatValue(Double.NEGATIVE_INFINITY));
        assertEquals("1704146400.5", ApiParameters.seconds(1_704_146_400_500L));
        assertEquals("1704146400", ApiParameters.seconds(1_704_146_400_000L));
    }
}
