package dev.banyan.karaf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Makes a directory refuse new entries, as a permission problem does: immutable for root (whom
 * permissions do not stop), mode 0500 for anyone else.
 */
final class Chattr {

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private Chattr() {
    }

    static void immutable(Path dir, boolean on) throws IOException, InterruptedException {
        if (!ROOT) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(on ? "r-x------" : "rwx------"));
            return;
        }
        Process process = new ProcessBuilder("chattr", on ? "+i" : "-i", dir.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("chattr on " + dir + " failed: " + output);
        }
    }
}
