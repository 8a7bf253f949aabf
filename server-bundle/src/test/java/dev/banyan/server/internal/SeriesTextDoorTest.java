package dev.banyan.server.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import dev.banyan.schema.api.FieldSpec;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.TagSpec;
import dev.banyan.server.api.DataPoint;
import dev.banyan.server.api.InvalidPointException;
import dev.banyan.storage.api.SeriesRef;

/**
 * [S18] The MeasureService door takes the storage's limit on the text of a series (64 KiB) as the
 * client's mistake: an invalid point naming the point and the tag, never a server fault.
 */
public class SeriesTextDoorTest {

    private static final Measure CPU = new Measure("sw", "cpu", List.of(new TagSpec("host", TagSpec.TagType.STRING)),
            List.of(new FieldSpec("value", FieldSpec.FieldType.DOUBLE)), List.of("host"), 0, 0);

    private static DataPoint on(String host) {
        return new DataPoint(1_700_000_000_000L, Map.of("host", host), Map.of("value", 1.0));
    }

    @Test
    public void s18_tagValueOverTheSeriesTextLimitIsAnInvalidPointNamingTheTag() {
        try {
            PointValidator.toBatch(CPU, List.of(on("h1"), on("x".repeat(SeriesRef.MAX_TEXT_BYTES))));
            fail("a series over the limit was accepted");
        } catch (InvalidPointException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("measure sw/cpu: point 1: "));
            assertTrue(e.getMessage(), e.getMessage().contains("more than the limit of " + SeriesRef.MAX_TEXT_BYTES
                    + " (the largest value, of tag host, takes " + SeriesRef.MAX_TEXT_BYTES + ")"));
        }
    }

    @Test
    public void s18_theLongestSeriesTheStorageHoldsIsAccepted() {
        String longest = "\u00e9".repeat((SeriesRef.MAX_TEXT_BYTES - "cpu".length() - "host".length()) / 2) + "x";
        assertEquals(1, PointValidator.toBatch(CPU, List.of(on(longest))).size());
    }
}
