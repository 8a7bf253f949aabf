package dev.banyan.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * A size-limited tmpfs mounted over a directory for one test, to produce a real full disk
 * ({@code ENOSPC}). Mounting needs root: elsewhere the calling test is skipped with the reason
 * printed. {@link #fill()} takes every free byte with a filler file; {@link #free()} deletes it.
 */
final class SmallFilesystem implements AutoCloseable {

    private final Path dir;
    private final Path filler;

    private SmallFilesystem(Path dir) {
        this.dir = dir;
        this.filler = dir.resolve("filler");
    }

    /** Mounts a {@code megabytes}-sized tmpfs over the empty directory {@code dir}. */
    static SmallFilesystem mount(Path dir, int megabytes) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            String reason = "skipped: mounting a size-limited tmpfs needs root (running as " + System.getProperty("user.name") + ")";
            System.out.println(reason);
            Assume.assumeTrue(reason, false);
        }
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "tmpfs", dir.toString());
        return new SmallFilesystem(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes a filler file until the file system reports it is full. */
    void fill() throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        // The 64 KiB chunks may leave a tail of free bytes: take those too, byte by byte in pages.
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(new byte[512]);
                out.flush();
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
    }

    void free() throws IOException {
        Files.deleteIfExists(filler);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("umount", "-l", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: "
                    + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
