package dev.banyan.schema.internal.registry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** [R11] The writability check operators read in a rejected configuration's ERROR line. */
public class AtomicFileTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void r11_theSameUnwritableDirectoryIsReportedInTheSameWordsEveryTime() {
        // /proc takes no new files, even for root: the probe fails there on every Linux machine.
        Path dir = Path.of("/proc/nope/data");
        String first = AtomicFile.cannotWrite(dir);
        assertNotNull(first);
        assertTrue(first, first.startsWith("cannot create and write /proc/nope/data: ") && first.contains(" in /proc"));
        assertEquals("one problem, one text (the guard logs each distinct text once)", first, AtomicFile.cannotWrite(dir));
    }

    @Test
    public void aDirectoryThatCanBeCreatedIsWritableAndTheCheckLeavesNothingBehind() throws Exception {
        Path dir = tmp.getRoot().toPath().resolve("a/b");
        assertNull(AtomicFile.cannotWrite(dir));
        assertEquals(0, tmp.getRoot().list().length);
    }
}
