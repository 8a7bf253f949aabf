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
            if (current != null && !current.equals(batch)) {
                check(measure, current, batch, "this batch", " (batch fields " + describe(batch) + ")");
            }
            return batch;
        });
    }

    /**
     * Refuses a field list no batch of the measure could be written with, given the fields it has
     * been written with; admits nothing.
     *
     * @throws StorageException as {@link #admit}
     */
    void check(String measure, List<FieldDef> fields) {
        List<FieldDef> current = of(measure);
        if (!current.isEmpty()) {
            check(measure, current, fields, "a definition with fields " + describe(fields), "");
        }
    }

    /** The one rule: {@code current} must be a prefix of {@code fields} (same names and types, in order). */
    private void check(String measure, List<FieldDef> current, List<FieldDef> fields, String subject, String listing) {
        String where = "group " + group + ": measure " + measure + " has fields " + describe(current) + "; ";
        for (int i = 0; i < Math.min(current.size(), fields.size()); i++) {
            FieldDef had = current.get(i);
            FieldDef got = fields.get(i);
            if (!had.name().equals(got.name())) {
                throw new StorageException(where + subject + " has " + got.name() + " where " + had.name()
                        + " is: fields can only be appended, in order" + listing);
            }
            if (had.type() != got.type()) {
                throw new StorageException(where + subject + " has field " + had.name() + " as " + got.type()
                        + ": a field's type cannot change");
            }
        }
        if (fields.size() < current.size()) {
            throw new StorageException(where + subject + " lacks " + describe(current.subList(fields.size(), current.size()))
                    + ": fields cannot be removed (pass null for a value a point does not have)");
        }
    }

    private static String describe(List<FieldDef> fields) {
        return fields.stream().map(f -> f.name() + ":" + f.type()).toList().toString();
    }
}
