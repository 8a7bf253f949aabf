package dev.banyan.storage.internal.tsdb;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.StorageException;

/**
 * The fields each measure of a group has been written with. A measure's field list only grows:
 * a batch may append new fields (points written before lack them: absent), but may not drop,
 * reorder or retype a field, so field {@code i} means the same in every part, log and memtable.
 */
final class MeasureFields {

    private final String group;
    private final Map<String, List<FieldDef>> known = new ConcurrentHashMap<>();

    MeasureFields(String group) {
        this.group = group;
    }

    /** The measure's fields, in order; empty if it has never been written. */
    List<FieldDef> of(String measure) {
        return known.getOrDefault(measure, List.of());
    }

    /** At open: a field list found on disk (a series definition); the longest wins. */
    void learn(String measure, List<FieldDef> fields) {
        known.merge(measure, fields, (a, b) -> b.size() > a.size() ? b : a);
    }

    /**
     * Accepts a batch's field list, growing the measure's, or refuses the whole batch.
     *
     * @throws StorageException naming the group, measure and field if the batch drops, reorders or
     *                          retypes a known field
     */
    void admit(String measure, List<FieldDef> batch) {
        known.compute(measure, (m, current) -> {
            if (current == null || current.equals(batch)) {
                return batch;
            }
            String where = "group " + group + ": measure " + measure + " has fields " + describe(current) + "; ";
            for (int i = 0; i < Math.min(current.size(), batch.size()); i++) {
                FieldDef had = current.get(i);
                FieldDef got = batch.get(i);
                if (!had.name().equals(got.name())) {
                    throw new StorageException(where + "this batch has " + got.name() + " where " + had.name()
                            + " is: fields can only be appended, in order (batch fields " + describe(batch) + ")");
                }
                if (had.type() != got.type()) {
                    throw new StorageException(where + "this batch has field " + had.name() + " as " + got.type()
                            + ": a field's type cannot change");
                }
            }
            if (batch.size() < current.size()) {
                throw new StorageException(where + "this batch lacks " + describe(current.subList(batch.size(), current.size()))
                        + ": fields cannot be removed (pass null for a value a point does not have)");
            }
            return batch;
        });
    }

    private static String describe(List<FieldDef> fields) {
        return fields.stream().map(f -> f.name() + ":" + f.type()).toList().toString();
    }
}
