package dev.banyan.storage.internal.part;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.FieldDef;
import dev.banyan.storage.api.SeriesRef;
import dev.banyan.storage.internal.shard.SeriesDef;

/**
 * Queries find a series in each part by walking the part in id order from the previous position
 * (a hint); whatever the hint, the answer is the one a search of the whole part gives.
 */
public class PartReaderPositionTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void positionFromAnyHintEqualsASearchOfTheWholePart() throws Exception {
        Random random = new Random(7);
        List<PartWriter.SeriesData> data = new ArrayList<>();
        List<Long> absent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            SeriesDef def = new SeriesDef(SeriesRef.of("m", Map.of("host", "h" + i), Map.of()), List.of(FieldDef.ofDouble("v")));
            if (random.nextInt(3) == 0) {
                absent.add(def.ref().id()); // a series of the measure this part does not hold
                continue;
            }
            data.add(new PartWriter.SeriesData(def, new long[] {1000L * i}, new long[] {Double.doubleToRawLongBits(i)}, 1));
        }
        Path file = tmp.getRoot().toPath().resolve("part-0000000000000001.bin");
        PartWriter.write(file, data);
        PartReader part = PartReader.open(file, 1);
        long[] held = part.series().stream().mapToLong(d -> d.ref().id()).toArray();
        assertEquals(data.size(), held.length);

        for (int round = 0; round < 200; round++) {
            // A query's selection: some held and some absent series, ascending, walked with hints.
            List<Long> selection = new ArrayList<>();
            int density = 1 + random.nextInt(round % 2 == 0 ? 3 : 300);
            for (long id : held) {
                if (random.nextInt(density) == 0) {
                    selection.add(id);
                }
            }
            for (long id : absent) {
                if (random.nextInt(density) == 0) {
                    selection.add(id);
                }
            }
            selection.sort(null);
            int hint = 0;
            for (long id : selection) {
                int position = part.position(id, hint);
                assertEquals("id " + id + " from hint " + hint, Arrays.binarySearch(held, id), position);
                hint = PartReader.nextHint(position);
            }
        }
        // Out of order or nonsense hints still find the series.
        for (int i = 0; i < 2000; i++) {
            long id = random.nextBoolean() ? held[random.nextInt(held.length)] : absent.get(random.nextInt(absent.size()));
            int hint = random.nextInt(held.length + 3) - 1;
            assertEquals("id " + id + " from hint " + hint, Arrays.binarySearch(held, id), part.position(id, hint));
        }
        // What a position gives is what reading the series' index entries by id gives.
        for (int s = 0; s < held.length; s += 97) {
            assertEquals(part.readBlocks(held[s]).size(), part.blocksAt(s).size());
            assertEquals(part.readBlocks(held[s]).get(0).offset(), part.blocksAt(s).get(0).offset());
            assertEquals(held[s], part.definitionAt(s).ref().id());
            assertEquals(1, part.summaryAt(s).count());
        }
        assertEquals(data.stream().mapToLong(d -> d.timestamps()[0]).min().getAsLong(), part.minTs());
        assertEquals(data.stream().mapToLong(d -> d.timestamps()[0]).max().getAsLong(), part.maxTs());
    }
}
