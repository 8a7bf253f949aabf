package dev.banyan.schema.internal.failfast;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.testsupport.ChildJvm;

/** [R9] In a real child JVM, a permanent error ends the process with a non-zero status and one FATAL line. */
public class FailFastExitTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void r9_synchronousPathExitsNonZeroWithOneFatalLine() throws Exception {
        assertExits("sync", "FATAL group g1: processing ADD hit a permanent error, refusing to continue: " + FailFastMain.VERSION_ERROR);
    }

    @Test
    public void r9_retryWorkerExitsNonZeroWithOneFatalLine() throws Exception {
        assertExits("worker", "FATAL group g1: processing ADD hit a permanent error, refusing to continue: " + FailFastMain.VERSION_ERROR);
    }

    @Test
    public void r9_bootExitsNonZeroWithOneFatalLine() throws Exception {
        assertExits("boot", "FATAL schema repository boot hit a permanent error, refusing to continue: OnInit schema-repository: "
                + "fails to init the group g1: " + FailFastMain.VERSION_ERROR);
    }

    private void assertExits(String mode, String fatalLine) throws Exception {
        try (ChildJvm child = ChildJvm.start(FailFastMain.class, mode, tmp.newFolder().getAbsolutePath())) {
            int status = child.awaitExit(Duration.ofSeconds(60));
            List<String> output = child.output();
            assertEquals("exit status; output:\n" + String.join("\n", output), FailFastMain.STATUS, status);
            assertEquals("exactly one FATAL line on stderr; output:\n" + String.join("\n", output),
                    List.of(fatalLine), output.stream().filter(l -> l.startsWith("FATAL")).toList());
            assertTrue("never reached a serving state", output.stream().noneMatch(l -> l.equals("SERVING")));
        }
    }
}
