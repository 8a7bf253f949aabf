package dev.banyan.storage;

import static dev.banyan.storage.StorageFixture.DAILY;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.storage.api.DirectoryInUseException;
import dev.banyan.storage.api.Tsdb;
import dev.banyan.testsupport.ChildJvm;

/** [S6] The lock holds across processes, and a killed holder never blocks the next open. */
public class CrossProcessLockTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void s6_openFailsWhileAChildHoldsTheLockAndSucceedsAfterItIsKilled() throws Exception {
        Path root = tmp.getRoot().toPath();
        try (ChildJvm child = ChildJvm.start(LockHolderMain.class, root.toString(), "g1")) {
            child.awaitLine("LOCKED", Duration.ofSeconds(30));
            try {
                StorageFixture.engine(root).open("g1", DAILY);
                fail("the child holds the lock");
            } catch (DirectoryInUseException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("another process"));
                assertTrue(e.getMessage(), e.getMessage().contains(root.resolve("g1/lock").toString()));
            }
            child.kill();
            assertTrue("kill -9 leaves the stale lock file", Files.exists(root.resolve("g1/lock")));
            try (Tsdb db = StorageFixture.engine(root).open("g1", DAILY)) {
                assertTrue(Files.readString(db.directory().resolve("lock")).startsWith(
                        Long.toString(ProcessHandle.current().pid())));
            }
        }
    }
}
