package dev.banyan.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.storage.api.Timestamps;

/** [S12] The MeasureService door refuses every timestamp outside the supported range, naming the point. */
public class TimestampDoorTest {

    private static final Measure CPU = new Measure("sw", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
            List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0);

    private static DataPoint at(long t) {
        return new DataPoint(t, Map.of("host", "h1"), Map.of("value", 1.0));
    }

    @Test
    public void s12_timestampsOutsideTheSupportedRangeAreRefusedNamingThePoint() {
        for (long bad : new long[] {Timestamps.MAX_MILLIS + 1, 253_402_300_800_000L, Long.MAX_VALUE, 0, -1, Long.MIN_VALUE}) {
            try {
                PointValidator.toBatch(CPU, List.of(at(1_700_000_000_000L), at(bad)));
                fail("accepted " + bad);
            } catch (InvalidPointException e) {
                assertEquals("measure sw/cpu: point 1: timestamp " + Timestamps.describe(bad) + " is outside the supported "
                        + "range [1970-01-01T00:00:00.001Z, 9999-12-31T23:59:59.999Z] (epoch milliseconds)", e.getMessage());
            }
        }
    }

    @Test
    public void s12_bothEndsOfTheSupportedRangeAreAccepted() {
        assertEquals(2, PointValidator.toBatch(CPU, List.of(at(Timestamps.MIN_MILLIS), at(Timestamps.MAX_MILLIS))).size());
    }
}
