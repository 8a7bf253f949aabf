package dev.banyan.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.banyan.storage.api.AggregateFunction;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** What the shell's options accept, as an operator types them: every value expressible, nothing silently dropped. */
public class OptionParsingTest {

    @Test
    public void aTagValueMayHoldEveryDelimiterOfTheSyntaxEscapedWithABackslash() {
        assertEquals(Map.of("host", "a,b", "dc", "x=y", "path", "c:\\tmp"),
                DataCommands.pairs("--tags", "host=a\\,b,dc=x\\=y,path=c:\\\\tmp"));
        assertEquals(Map.of("eq", "=", "empty", ""), DataCommands.pairs("--tags", "eq=\\=,empty="));
    }

    @Test
    public void aNameGivenTwiceIsRefusedNamingItNotSilentlyOverwritten() {
        IllegalArgumentException tags = assertThrows(IllegalArgumentException.class,
                () -> DataCommands.pairs("--tags", "host=x,host=y"));
        assertEquals("--tags: 'host' is given more than once", tags.getMessage());
        IllegalArgumentException fields = assertThrows(IllegalArgumentException.class,
                () -> DataCommands.pairs("--fields", "value=1, value =2"));
        assertEquals("--fields: 'value' is given more than once", fields.getMessage());
    }

    @Test
    public void aPairWithoutNameOrEqualsSignIsRefusedQuotingThePair() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataCommands.pairs("--where", "host=a,b"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("--where: expected name=value") && e.getMessage().endsWith("got 'b'"));
        assertThrows(IllegalArgumentException.class, () -> DataCommands.pairs("--where", "=a"));
    }

    @Test
    public void aggregateColumnsFollowTheRequestedFunctionOrderWithinEachField() {
        List<String> engineOrder = List.of("count(a)", "max(a)", "avg(a)", "count(b)", "max(b)", "avg(b)");
        assertEquals(List.of("avg(a)", "max(a)", "count(a)", "avg(b)", "max(b)", "count(b)"), DataCommands.aggregateColumns(
                engineOrder, List.of(AggregateFunction.AVG, AggregateFunction.MAX, AggregateFunction.COUNT)));
        assertEquals(List.of("sum(f(x))", "min(f(x))"), DataCommands.aggregateColumns(List.of("min(f(x))", "sum(f(x))"),
                List.of(AggregateFunction.SUM, AggregateFunction.MIN)));
    }

    @Test
    public void aZeroDurationIsRefusedAPositiveOneAccepted() {
        for (String zero : List.of("0m", "0s", "000h")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.millis("--bucket", zero));
            assertEquals("--bucket: expected a positive duration such as 30s, 5m, 1h or 1d, got '" + zero + "'", e.getMessage());
        }
        assertEquals(300_000L, Durations.millis("--bucket", "05m"));
        assertEquals(86_400_000L, Durations.millis("--bucket", "1d"));
    }
}
