package dev.banyan.storage.internal.shard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.banyan.storage.internal.part.BlockMeta;
import dev.banyan.storage.internal.part.PartReader;
import dev.banyan.storage.internal.part.PartWriter;

/** Reads every series of several parts (oldest first) and returns their merged points. */
final class PartMerger {

    private PartMerger() {
    }

    static List<PartWriter.SeriesData> merge(List<PartReader> inputs) {
        Map<Long, SeriesDef> series = new LinkedHashMap<>();
        for (PartReader part : inputs) {
            series.putAll(part.series()); // newer definitions (tags) win
        }
        List<PartWriter.SeriesData> out = new ArrayList<>();
        long[] ts = new long[PartWriter.BLOCK_POINTS];
        for (SeriesDef def : series.values()) {
            int fields = def.fields().size();
            List<PointMerger.Run> runs = new ArrayList<>();
            for (PartReader part : inputs) {
                List<BlockMeta> blocks = part.blocks(def.ref().id());
                if (blocks.isEmpty()) {
                    continue;
                }
                // An older part may hold fewer fields (field lists only grow): those are absent.
                int have = part.definition(def.ref().id()).fields().size();
                long[][] columns = new long[have][PartWriter.BLOCK_POINTS];
                int total = blocks.stream().mapToInt(BlockMeta::count).sum();
                long[] runTs = new long[total];
                long[] runVals = new long[total * fields];
                int n = 0;
                for (BlockMeta block : blocks) {
                    part.decode(block, ts, columns);
                    for (int i = 0; i < block.count(); i++) {
                        runTs[n] = ts[i];
                        for (int f = 0; f < fields; f++) {
                            runVals[n * fields + f] = f < have ? columns[f][i] : def.fields().get(f).type().absentRaw();
                        }
                        n++;
                    }
                }
                runs.add(new PointMerger.Run(runTs, runVals, n));
            }
            PointMerger.Run merged = PointMerger.merge(runs, fields);
            out.add(new PartWriter.SeriesData(def, merged.timestamps(), merged.values(), merged.size()));
        }
        return out;
    }
}
