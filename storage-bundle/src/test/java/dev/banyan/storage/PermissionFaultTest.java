package dev.banyan.storage;

import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;


/**
 * [S18] A directory the engine cannot write into (permission denied) fails the writes that need it
 * with a clear error naming the file, never a NullPointerException; the database shows itself
 * degraded; once the mode is restored writes succeed without a restart. Root ignores file modes, so
 * when the tests run as root the scenario runs in a child JVM without CAP_DAC_OVERRIDE (setpriv).
 */
public class PermissionFaultTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private void run(String scenario) throws Exception {
        UnprivilegedChild.runToPass(PermissionFaultMain.class, List.of("-Xmx256m"), tmp.newFolder("data").getAbsolutePath(),
                scenario);
    }

    @Test(timeout = 180_000)
    public void s18_unwritableShardDirFailsWritesNamingTheLogAndHealsWithoutRestart() throws Exception {
        run("shard-log");
    }

    @Test(timeout = 180_000)
    public void s18_unwritableGroupDirFailsNewSegmentNamingItAndHealsWithoutRestart() throws Exception {
        run("segment");
    }
}
