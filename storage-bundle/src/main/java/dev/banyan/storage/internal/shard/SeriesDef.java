package dev.banyan.storage.internal.shard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.FieldType;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.internal.codec.ByteSink;
import dev.banyan.storage.internal.codec.ByteSource;
import dev.banyan.storage.internal.codec.CorruptDataException;

/** A series with the fields its points carry; written into WAL records and part series tables. */
public record SeriesDef(SeriesRef ref, List<FieldDef> fields) {

    /** Equal in everything stored: series, tags and fields (records compare the ref by identity only). */
    public boolean sameAs(SeriesDef other) {
        return ref.equals(other.ref) && ref.tags().equals(other.ref.tags()) && fields.equals(other.fields);
    }

    public void writeTo(ByteSink out) {
        out.writeLong(ref.id());
        out.writeString(ref.measure());
        writeMap(out, ref.entity());
        writeMap(out, ref.tags());
        out.writeVarLong(fields.size());
        for (FieldDef f : fields) {
            out.writeString(f.name());
            out.writeByte(codeOf(f.type()));
        }
    }

    public static SeriesDef readFrom(ByteSource in) {
        long id = in.readLong();
        // Names repeat across every series of a measure: hold each once.
        String measure = in.readString().intern();
        Map<String, String> entity = readMap(in);
        Map<String, String> tags = readMap(in);
        int n = in.readLength(2);
        FieldDef[] fields = new FieldDef[n];
        for (int i = 0; i < n; i++) {
            String name = in.readString().intern();
            int code = in.readByte();
            FieldType type = typeOf(code);
            if (type == null) {
                throw new CorruptDataException("unknown field type code " + code + " at byte " + (in.position() - 1));
            }
            fields[i] = new FieldDef(name, type);
        }
        SeriesRef ref;
        try {
            ref = SeriesRef.of(measure, entity, tags);
        } catch (RuntimeException e) {
            throw new CorruptDataException("invalid series definition at byte " + in.position() + ": " + e.getMessage());
        }
        if (ref.id() != id) {
            throw new CorruptDataException("series id " + id + " does not match its definition " + ref);
        }
        return new SeriesDef(ref, List.of(fields));
    }

    /**
     * [S16] The on-disk code of a field type, in write-ahead-log records and part series tables. Explicit
     * and fixed: never an enum ordinal, so reordering or extending {@link FieldType} cannot change what
     * existing files mean (a new type needs a new code here, or this switch does not compile).
     */
    public static int codeOf(FieldType type) {
        return switch (type) {
            case DOUBLE -> 0;
            case LONG -> 1;
        };
    }

    /** The field type of an on-disk code, or null for a code no release wrote. */
    public static FieldType typeOf(int code) {
        return switch (code) {
            case 0 -> FieldType.DOUBLE;
            case 1 -> FieldType.LONG;
            default -> null;
        };
    }

    private static void writeMap(ByteSink out, Map<String, String> map) {
        out.writeVarLong(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeString(e.getKey());
            out.writeString(e.getValue());
        }
    }

    private static Map<String, String> readMap(ByteSource in) {
        int n = in.readLength(2);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            map.put(in.readString().intern(), in.readString());
        }
        return map;
    }
}
