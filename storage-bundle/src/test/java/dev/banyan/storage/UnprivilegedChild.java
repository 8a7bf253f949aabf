package dev.banyan.storage;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.banyan.testsupport.ChildJvm;

/**
 * Runs a scenario main in a child JVM that file permissions apply to. Root ignores file modes, so
 * when the tests run as root the child runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
 * (setpriv); otherwise it runs as the same user.
 */
final class UnprivilegedChild {

    private UnprivilegedChild() {
    }

    /** Runs {@code main} to its end and asserts it printed {@code PASS} and exited 0. */
    static void runToPass(Class<?> main, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--inh-caps=-dac_override,-dac_read_search",
                    "--bounding-set=-dac_override,-dac_read_search"));
        }
        command.addAll(ChildJvm.javaCommand(jvmOptions, main, args));
        try (ChildJvm child = ChildJvm.startProcess(new ProcessBuilder(command))) {
            int status = child.awaitExit(Duration.ofMinutes(3));
            String output = String.join("\n", child.output());
            assertEquals(main.getSimpleName() + " " + List.of(args) + " output:\n" + output, 0, status);
            assertTrue(output, child.output().contains("PASS"));
        }
    }
}
