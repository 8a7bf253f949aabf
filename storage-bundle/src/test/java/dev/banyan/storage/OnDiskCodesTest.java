package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;

import org.junit.Test;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.api.IntervalUnit;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;
import dev.banyan.storage.internal.segment.GroupMetadata;
import dev.banyan.storage.internal.shard.SeriesDef;

/**
 * [S16][S12] No enum is persisted by its ordinal: every on-disk code is explicit and pinned here, so
 * reordering or extending an enum cannot change what existing files mean.
 */
public class OnDiskCodesTest {

    @Test
    public void s16_fieldTypeCodesArePinned() {
        assertEquals(0, SeriesDef.codeOf(FieldType.DOUBLE));
        assertEquals(1, SeriesDef.codeOf(FieldType.LONG));
        for (FieldType type : FieldType.values()) {
            assertEquals(type, SeriesDef.typeOf(SeriesDef.codeOf(type)));
        }
        assertNull(SeriesDef.typeOf(2));
        assertNull(SeriesDef.typeOf(255));
    }

    @Test
    public void s16_aSeriesDefinitionCarriesTheCodeAndRefusesAnUnknownOne() {
        SeriesDef def = new SeriesDef(SeriesRef.of("m", "h", "x"), List.of(FieldDef.ofDouble("d"), FieldDef.ofLong("n")));
        ByteSink out = new ByteSink(64);
        def.writeTo(out);
        byte[] bytes = java.util.Arrays.copyOf(out.array(), out.size());
        assertEquals("LONG's code ends the definition", 1, bytes[bytes.length - 1]);
        assertEquals(def, SeriesDef.readFrom(new ByteSource(bytes, 0, bytes.length)));
        bytes[bytes.length - 1] = 7;
        try {
            SeriesDef.readFrom(new ByteSource(bytes, 0, bytes.length));
            fail("unknown code read");
        } catch (CorruptDataException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("unknown field type code 7"));
        }
    }

    @Test
    public void s12_intervalUnitCodesArePinned() {
        assertEquals("DAY", GroupMetadata.codeOf(IntervalUnit.DAY));
        assertEquals("HOUR", GroupMetadata.codeOf(IntervalUnit.HOUR));
        for (IntervalUnit unit : IntervalUnit.values()) {
            assertEquals(unit, GroupMetadata.unitOf(GroupMetadata.codeOf(unit)));
        }
        assertNull(GroupMetadata.unitOf("DAYS"));
        assertNull(GroupMetadata.unitOf(0));
    }
}
