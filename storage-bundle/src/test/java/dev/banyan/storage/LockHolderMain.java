package dev.banyan.storage;

import java.nio.file.Path;

import dev.banyan.storage.api.Tsdb;

/** Child-JVM entry point: opens a group, says so, and holds it until killed. */
public final class LockHolderMain {

    public static void main(String[] args) throws Exception {
        Tsdb db = StorageFixture.engine(Path.of(args[0])).open(args[1], StorageFixture.DAILY);
        System.out.println("LOCKED " + db.directory());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
