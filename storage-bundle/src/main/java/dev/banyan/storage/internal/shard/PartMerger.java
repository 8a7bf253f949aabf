package dev.banyan.storage.internal.shard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.internal.part.BlockMeta;
import dev.banyan.storage.internal.part.PartReader;
import dev.banyan.storage.internal.part.PartWriter;

/**
 * Merges several parts (oldest first) into one, streaming: per series, one decoded block per input
 * at a time, so memory does not grow with the parts' size. Of equal timestamps the newest part's
 * point wins [S17]. A series takes its newest tags and its widest field list (field lists only
 * grow): points of parts with fewer fields lack the others (absent).
 */
final class PartMerger {

    private PartMerger() {
    }

    /** @param cancelled checked between series: true stops the merge with a {@link CancellationException} */
    static void merge(List<PartReader> inputs, PartWriter out, BooleanSupplier cancelled) throws IOException {
        for (long id : PartReader.unionOfSeriesIds(inputs)) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("merge of " + out.target() + " cancelled");
            }
            SeriesDef newest = null;
            List<FieldDef> widest = List.of();
            List<BlockCursor> cursors = new ArrayList<>(inputs.size());
            for (PartReader part : inputs) {
                SeriesDef defined = part.definition(id);
                if (defined == null) {
                    continue;
                }
                newest = defined;
                if (defined.fields().size() > widest.size()) {
                    widest = defined.fields();
                }
                cursors.add(new BlockCursor(part, part.readBlocks(id), defined.fields().size()));
            }
            SeriesDef def = newest.fields().size() == widest.size() ? newest : new SeriesDef(newest.ref(), widest);
            for (BlockCursor cursor : cursors) {
                cursor.widen(widest);
            }
            out.startSeries(def);
            mergeSeries(cursors, out);
        }
    }

    /** A k-way merge by timestamp; cursors are oldest first, so the last one at a timestamp is the newest write. */
    private static void mergeSeries(List<BlockCursor> cursors, PartWriter out) throws IOException {
        cursors.removeIf(c -> !c.advance());
        while (!cursors.isEmpty()) {
            if (cursors.size() == 1) {
                BlockCursor only = cursors.get(0);
                do {
                    out.add(only.ts, only.rows, only.pos, only.count);
                } while (only.nextBlock());
                return;
            }
            long min = Long.MAX_VALUE;
            for (BlockCursor c : cursors) {
                min = Math.min(min, c.timestamp());
            }
            BlockCursor newest = null;
            for (BlockCursor c : cursors) {
                if (c.timestamp() == min) {
                    newest = c;
                }
            }
            out.add(min, newest.rows, newest.pos * newest.width);
            for (int i = cursors.size() - 1; i >= 0; i--) {
                BlockCursor c = cursors.get(i);
                if (c.timestamp() == min && !c.advance()) {
                    cursors.remove(i);
                }
            }
        }
    }

    /**
     * The points of one series in one part, decoded a block at a time into row-major arrays as
     * wide as the merged series (fields the part lacks are absent).
     */
    private static final class BlockCursor {
        final PartReader part;
        final List<BlockMeta> blocks;
        final int have;
        final long[] ts = new long[PartWriter.BLOCK_POINTS];
        final long[][] columns;
        long[] rows;
        long[] absent;
        int width;
        int block = -1;
        int count;
        int pos = -1;

        BlockCursor(PartReader part, List<BlockMeta> blocks, int have) {
            this.part = part;
            this.blocks = blocks;
            this.have = have;
            this.columns = new long[have][PartWriter.BLOCK_POINTS];
        }

        void widen(List<FieldDef> fields) {
            width = fields.size();
            rows = new long[width * PartWriter.BLOCK_POINTS];
            absent = new long[width];
            for (int f = 0; f < width; f++) {
                absent[f] = fields.get(f).type().absentRaw();
            }
        }

        long timestamp() {
            return ts[pos];
        }

        /** Moves to the next point. @return false once every block is consumed */
        boolean advance() {
            if (pos + 1 < count) {
                pos++;
                return true;
            }
            return nextBlock();
        }

        /** Decodes the next block and points at its first point. @return false if there is none */
        boolean nextBlock() {
            if (++block >= blocks.size()) {
                return false;
            }
            BlockMeta meta = blocks.get(block);
            part.decode(meta, ts, columns);
            count = meta.count();
            for (int i = 0; i < count; i++) {
                for (int f = 0; f < width; f++) {
                    rows[i * width + f] = f < have ? columns[f][i] : absent[f];
                }
            }
            pos = 0;
            return true;
        }
    }
}
