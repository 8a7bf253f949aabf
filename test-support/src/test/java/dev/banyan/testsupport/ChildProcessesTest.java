package dev.banyan.testsupport;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Processes tests start never outlive the test JVM: a middle JVM (playing surefire's fork) starts
 * a process tree the way test launchers do (a start script running a server as its child), then
 * ends without closing it.
 */
public class ChildProcessesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final List<ProcessHandle> started = new ArrayList<>();

    /** What a test in the middle JVM starts: a script with two long-running children. */
    public static final class Middle {
        public static void main(String[] args) throws Exception {
            ChildJvm tree = ChildJvm.startProcess(new ProcessBuilder("/bin/sh", "-c", "sleep 600 & sleep 600 & wait"));
            ProcessHandle script = ProcessHandle.of(tree.pid()).orElseThrow();
            Await.until("the script's two children", Duration.ofSeconds(30), () -> script.descendants().count() >= 2);
            System.out.println("TREE " + tree.pid() + " " + script.descendants()
                    .map(p -> Long.toString(p.pid())).reduce((a, b) -> a + " " + b).orElse(""));
            if (args[0].equals("exit")) {
                // Once the test has seen the tree alive: a test run ending without closing what it started.
                Path go = Path.of(args[1]);
                while (!Files.exists(go)) {
                    Thread.sleep(10);
                }
                System.exit(0);
            }
            Thread.sleep(600_000);
        }
    }

    @Test
    public void aProcessTreeDiesWithATestJvmKilledWithSigkill() throws Exception {
        try (ChildJvm middle = ChildJvm.start(Middle.class, "wait")) {
            List<ProcessHandle> tree = tree(middle);
            // SIGKILL to the middle JVM alone, as when surefire's fork is killed: no hook runs in it.
            ProcessHandle.of(middle.pid()).orElseThrow().destroyForcibly();
            assertAllGone(tree);
        }
    }

    @Test
    public void aProcessTreeDiesWithATestJvmThatExitsWithoutClosingIt() throws Exception {
        Path go = tmp.getRoot().toPath().resolve("exit-now");
        try (ChildJvm middle = ChildJvm.start(Middle.class, "exit", go.toString())) {
            List<ProcessHandle> tree = tree(middle);
            Files.createFile(go);
            assertEquals(0, middle.awaitExit(Duration.ofSeconds(60)));
            assertAllGone(tree);
        }
    }

    private List<ProcessHandle> tree(ChildJvm middle) throws InterruptedException {
        String line = middle.awaitLine("TREE ", Duration.ofSeconds(60));
        List<ProcessHandle> tree = Arrays.stream(line.substring("TREE ".length()).split(" ")).map(Long::parseLong)
                .map(ProcessHandle::of).flatMap(Optional::stream).toList();
        started.addAll(tree);
        assertEquals("script and its two children alive: " + line, 3, tree.stream().filter(ProcessHandle::isAlive).count());
        return tree;
    }

    private static void assertAllGone(List<ProcessHandle> tree) throws Exception {
        try {
            Await.until("every process of the tree gone", Duration.ofSeconds(30), () -> tree.stream().noneMatch(ProcessHandle::isAlive));
        } catch (AssertionError e) {
            throw new AssertionError("still running: " + tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList(), e);
        }
    }

    /** Whatever a failed assertion left running does not outlive this test either. */
    @After
    public void killLeftovers() {
        started.forEach(ProcessHandle::destroyForcibly);
    }
}
