package dev.banyan.http.internal.influx;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.Test;

/** InfluxDB line protocol as the reference describes it: escapes, types, and every refusal naming its line. */
public class LineProtocolTest {

    @Test
    public void parsesMeasurementTagsFieldsAndTimestamp() {
        LineProtocol.Result result = LineProtocol.parse("cpu,host=h1,region=eu usage=0.5,procs=12i,big=5u 1704067200000000000\n");
        assertEquals(List.of(), result.refusals());
        LineProtocol.Point point = result.points().get(0);
        assertEquals("cpu", point.measurement());
        assertEquals(Map.of("host", "h1", "region", "eu"), point.tags());
        assertEquals(Map.of("usage", 0.5, "procs", 12L, "big", 5L), point.fields());
        assertEquals(Long.valueOf(1704067200000000000L), point.timestamp());
        assertEquals(List.of(1), result.lines());
    }

    @Test
    public void escapesCommentsBlankLinesAndMissingTimestamps() {
        LineProtocol.Result result = LineProtocol.parse("# comment\n\n  \nweather,city=New\\ York,pair=a\\,b\\=c temp=-1.5e2\r\n"
                + "m v=1,w=.5 \nweather\\ now v=1");
        assertEquals("weather", result.points().get(0).measurement());
        assertEquals(Map.of("city", "New York", "pair", "a,b=c"), result.points().get(0).tags());
        assertEquals(Map.of("temp", -150.0), result.points().get(0).fields());
        assertNull(result.points().get(1).timestamp());
        assertEquals(Map.of("v", 1.0, "w", 0.5), result.points().get(1).fields());
        assertEquals(List.of(4, 5), result.lines());
        // Escapes make spaces legal in InfluxDB names, but not in Banyan's: refused, named.
        assertEquals(List.of(new LineProtocol.Refusal(6, "measurement 'weather now' is not a valid measure name (1-255 letters, "
                + "digits, '_', ':', '.' or '-', not starting with '.' or '-')")), result.refusals());
    }

    @Test
    public void everyKindOfBadLineIsRefusedNamingItsLineAndTheOthersParse() {
        String body = String.join("\n",
                "ok v=1",                         // 1
                "cpu",                            // 2 no fields
                "cpu v=\"text\"",                 // 3 string field
                "cpu v=true",                     // 4 boolean
                "cpu v=1i,v=2i",                  // 5 duplicate field
                "cpu,h=a,h=b v=1",                // 6 duplicate tag
                "cpu v=abc",                      // 7 not a number
                "cpu v=1 12x",                    // 8 bad timestamp
                "cpu v=99999999999999999999i",    // 9 integer overflow
                "cpu,series-labels=x v=1",        // 10 reserved tag
                "-bad v=1",                       // 11 measurement name
                "cpu v=1,",                       // 12 dangling comma
                "cpu v=-1u",                      // 13 negative unsigned
                "cpu v=NaN",                      // 14 not a line protocol float
                "ok v=2 5");                      // 15
        LineProtocol.Result result = LineProtocol.parse(body);
        assertEquals(List.of(1, 15), result.lines());
        List<String> refusals = result.refusals().stream().map(r -> r.line() + ": " + r.message()).toList();
        assertEquals(List.of(
                "2: expected a space and the fields after the measurement at column 4",
                "3: field 'v' is a string; Banyan stores numeric fields only (floats as DOUBLE, integers as LONG)",
                "4: field 'v' is a boolean; Banyan stores numeric fields only (floats as DOUBLE, integers as LONG)",
                "5: field 'v' appears twice",
                "6: tag 'h' appears twice",
                "7: field 'v' = abc is not a field value: write a float (1.5), an integer (1i) or an unsigned integer (1u)",
                "8: timestamp '12x' is not an integer",
                "9: field 'v' = 99999999999999999999i does not fit a LONG field (-9223372036854775808 to 9223372036854775807)",
                "10: tag key 'series-labels' is reserved (it holds a series' whole tag set)",
                "11: measurement '-bad' is not a valid measure name (1-255 letters, digits, '_', ':', '.' or '-', not starting "
                        + "with '.' or '-')",
                "12: missing field key at column 9",
                "13: field 'v' = -1u is not a valid unsigned integer",
                "14: field 'v' = NaN: line protocol has no NaN or infinite floats (InfluxDB refuses them too); leave the "
                        + "field out of the line instead"), refusals);
        assertEquals(15, result.lineCount());
    }

    /** Tags and fields share one name space in a measure: a name used as both is refused, naming the clash. */
    @Test
    public void aNameUsedAsTagAndFieldIsRefusedNamingTheClash() {
        LineProtocol.Result result = LineProtocol.parse("cpu,usage=x usage=1\ncpu,host=a,mode=b host=1,v=2i,mode=3\ncpu v=1");
        assertEquals(List.of(3), result.lines());
        assertEquals(List.of(
                new LineProtocol.Refusal(1, "'usage' is both a tag and a field; in Banyan a measure's tags and fields share one "
                        + "set of names: rename one of them"),
                new LineProtocol.Refusal(2, "'host' is both a tag and a field; in Banyan a measure's tags and fields share one "
                        + "set of names: rename one of them")), result.refusals());
    }

    @Test
    public void aNewlineInsideAQuotedStringDoesNotEndTheLine() {
        LineProtocol.Result result = LineProtocol.parse("m s=\"two\nlines\",v=1 1\nm v=2 2");
        assertEquals(List.of(2), result.lines());
        assertEquals(1, result.refusals().size());
        assertEquals(1, result.refusals().get(0).line());
    }
}
