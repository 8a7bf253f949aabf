package dev.banyan.storage.internal.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.banyan.storage.api.TagMatcher;

/**
 * The postings of one shard: for each measure, the ids of its series, and for each tag and value
 * the ids of the series carrying that value (entity tags and other tags alike). Selecting series
 * by {@link TagMatcher}s intersects and subtracts posting lists, touching only the values of the
 * tags named (for a regular expression: every distinct value of its tag), never every series.
 * <p>
 * Kept in memory, rebuilt when a shard opens from the series of its parts and logs, and updated
 * as writes define series or change their (non-entity) tags. Not thread-safe: the shard calls it
 * under its lock.
 */
public final class SeriesIndex {

    private static final long[] NONE = new long[0];

    private final Map<String, MeasurePostings> measures = new HashMap<>();

    private static final class MeasurePostings {
        final PostingList all = new PostingList();
        final Map<String, Map<String, PostingList>> byTag = new HashMap<>();

        PostingList list(String tag, String value) {
            return byTag.computeIfAbsent(tag, t -> new HashMap<>()).computeIfAbsent(value, v -> new PostingList());
        }
    }

    /**
     * Records the tags of series {@code id} of {@code measure}, replacing those it had
     * ({@code previous}, null for a new series).
     */
    public void put(String measure, long id, Map<String, String> tags, Map<String, String> previous) {
        MeasurePostings postings = measures.computeIfAbsent(measure, m -> new MeasurePostings());
        if (previous == null) {
            postings.all.add(id);
        } else {
            for (Map.Entry<String, String> old : previous.entrySet()) {
                if (!old.getValue().equals(tags.get(old.getKey()))) {
                    postings.list(old.getKey(), old.getValue()).remove(id);
                }
            }
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (previous == null || !tag.getValue().equals(previous.get(tag.getKey()))) {
                postings.list(tag.getKey(), tag.getValue()).add(id);
            }
        }
    }

    /** The ids of the series of {@code measure} satisfying every matcher, ascending. */
    public long[] select(String measure, List<TagMatcher> matchers) {
        MeasurePostings postings = measures.get(measure);
        if (postings == null) {
            return NONE;
        }
        long[] all = postings.all.ids();
        long[] selected = all;
        for (TagMatcher matcher : matchers) {
            selected = intersect(selected, satisfying(postings, all, matcher));
            if (selected.length == 0) {
                break;
            }
        }
        return selected;
    }

    /** The distinct values {@code tag} has among the series {@code ids} of {@code measure} (ascending ids), sorted. */
    public List<String> values(String measure, String tag, long[] ids) {
        MeasurePostings postings = measures.get(measure);
        Map<String, PostingList> values = postings == null ? null : postings.byTag.get(tag);
        TreeSet<String> found = new TreeSet<>();
        if (values != null) {
            for (Map.Entry<String, PostingList> value : values.entrySet()) {
                if (intersect(value.getValue().ids(), ids).length > 0) {
                    found.add(value.getKey());
                }
            }
        }
        return new ArrayList<>(found);
    }

    private static long[] satisfying(MeasurePostings postings, long[] all, TagMatcher matcher) {
        Map<String, PostingList> values = postings.byTag.getOrDefault(matcher.tag(), Map.of());
        boolean negated = matcher.op() == TagMatcher.Op.NOT_EQUAL || matcher.op() == TagMatcher.Op.NOT_REGEX;
        // The positive form (= or =~) picks the values it accepts; the empty value stands for series without the tag.
        TagMatcher positive = !negated ? matcher
                : TagMatcher.of(matcher.tag(), matcher.op() == TagMatcher.Op.NOT_EQUAL ? TagMatcher.Op.EQUAL : TagMatcher.Op.REGEX,
                        matcher.value());
        List<long[]> lists = new ArrayList<>();
        if (positive.op() == TagMatcher.Op.EQUAL && !positive.value().isEmpty()) {
            PostingList list = values.get(positive.value());
            if (list != null) {
                lists.add(list.ids());
            }
        } else {
            for (Map.Entry<String, PostingList> value : values.entrySet()) {
                if (positive.matches(value.getKey())) {
                    lists.add(value.getValue().ids());
                }
            }
            if (positive.matches("")) {
                lists.add(subtract(all, union(valuedLists(values))));
            }
        }
        long[] accepted = union(lists);
        return negated ? subtract(all, accepted) : accepted;
    }

    private static List<long[]> valuedLists(Map<String, PostingList> values) {
        List<long[]> lists = new ArrayList<>();
        values.forEach((value, list) -> {
            if (!value.isEmpty()) {
                lists.add(list.ids());
            }
        });
        return lists;
    }

    static long[] union(List<long[]> lists) {
        if (lists.isEmpty()) {
            return NONE;
        }
        if (lists.size() == 1) {
            return lists.get(0);
        }
        int total = 0;
        for (long[] list : lists) {
            total += list.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] list : lists) {
            System.arraycopy(list, 0, all, at, list.length);
            at += list.length;
        }
        Arrays.sort(all);
        int n = dedupe(all, all.length);
        return n == all.length ? all : Arrays.copyOf(all, n);
    }

    static long[] intersect(long[] a, long[] b) {
        long[] out = new long[Math.min(a.length, b.length)];
        int n = 0;
        for (int i = 0, j = 0; i < a.length && j < b.length;) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                out[n++] = a[i];
                i++;
                j++;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    static long[] subtract(long[] a, long[] b) {
        long[] out = new long[a.length];
        int n = 0;
        int j = 0;
        for (long id : a) {
            while (j < b.length && b[j] < id) {
                j++;
            }
            if (j >= b.length || b[j] != id) {
                out[n++] = id;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Drops repeats from the first {@code size} (sorted) ids in place; @return how many remain. */
    private static int dedupe(long[] sorted, int size) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (n == 0 || sorted[n - 1] != sorted[i]) {
                sorted[n++] = sorted[i];
            }
        }
        return n;
    }

    /** Series ids, appended in any order and sorted when read (writes define series in hash order). */
    private static final class PostingList {
        private long[] ids = new long[2];
        private int size;
        private boolean sorted = true;
        private long[] view;

        void add(long id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            if (size > 0 && ids[size - 1] >= id) {
                sorted = false;
            }
            ids[size++] = id;
            view = null;
        }

        void remove(long id) {
            normalize();
            int at = Arrays.binarySearch(ids, 0, size, id);
            if (at >= 0) {
                System.arraycopy(ids, at + 1, ids, at, size - at - 1);
                size--;
                view = null;
            }
        }

        /** Ascending and distinct; shared until the next change, so callers must not modify it. */
        long[] ids() {
            if (view == null) {
                normalize();
                view = Arrays.copyOf(ids, size);
            }
            return view;
        }

        private void normalize() {
            if (!sorted) {
                Arrays.sort(ids, 0, size);
                size = dedupe(ids, size);
                sorted = true;
            }
        }
    }
}
