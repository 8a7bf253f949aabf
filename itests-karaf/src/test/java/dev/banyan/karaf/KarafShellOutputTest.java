package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Scripts read only what a command prints: the server's log and its own stderr stay on the server's
 * terminal and never reach a {@code bin/client} session, whatever the thread that logs.
 */
public class KarafShellOutputTest {

    private static final Duration BOOT = Duration.ofSeconds(180);
    /** The console log pattern of etc/org.ops4j.pax.logging.cfg: {@code HH:mm:ss.SSS LEVEL [thread]}. */
    private static final Pattern LOG_LINE = Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} +(TRACE|DEBUG|INFO|WARN|ERROR|FATAL)");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void eachCommandsOutputIsExactlyWhatItPrints() throws Exception {
        try (KarafInstance karaf = KarafInstance.create(tmp.newFolder("output").toPath())) {
            karaf.start();
            karaf.awaitServing(BOOT);
            // The generated administrator's password is in etc/banyan-admin.password only: users.properties
            // holds its digest and is readable by the owner only (a fresh user found it in clear, mode 0644).
            Path users = karaf.home().resolve("etc/users.properties");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(users));
            assertFalse("clear password in " + users, Files.readString(users).contains(karaf.password()));
            assertTrue(Files.readString(users), Files.readString(users).contains("banyan = {CRYPT}"));
            // An operator adjusting a log level makes pax-logging rebuild its console appender while
            // the shell's per-session System.out is installed; the log must still not follow it.
            assertExactly(karaf.client("log:set INFO dev.banyan"), 0, "");
            assertExactly(karaf.client("banyan:group-create --shards 1 --interval 1d --ttl 30d g2"), 0,
                    "Created group g2 (revision 1)\n");
            assertExactly(karaf.client("banyan:measure-create --tag host:STRING --field value:DOUBLE --entity host g2 cpu"), 0,
                    "Created measure g2/cpu (revision 2)\n");
            // A point inside the group's 30-day TTL and the write window [S13a]: an hour ago, whole seconds.
            Instant hourAgo = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
            assertExactly(karaf.client("banyan:write --tags host=h1 --fields value=1.5 --time " + hourAgo + " g2 cpu"), 0,
                    "Wrote 1 point to g2/cpu at " + hourAgo + "\n");
            assertExactly(karaf.client("banyan:write --tags host=h1 --fields valu=1.5 --time " + hourAgo + " g2 cpu"), 1,
                    "Error executing command: measure g2/cpu: point 0: unknown field 'valu' (declared: [value])\n");
            // What is missing is named: the group, or the measure in it.
            assertExactly(karaf.client("banyan:write --tags host=h1 --fields value=1.5 nogroup cpu"), 1,
                    "Error executing command: measure nogroup/cpu: group nogroup does not exist (banyan:group-list)\n");
            assertExactly(karaf.client("banyan:write --tags host=h1 --fields value=1.5 g2 mem"), 1,
                    "Error executing command: measure g2/mem does not exist (banyan:measure-list g2)\n");
            for (String command : List.of("banyan:status", "banyan:group-list", "banyan:measure-list g2", "banyan:check",
                    "banyan:query --from " + hourAgo.minus(Duration.ofHours(1)) + " --to " + hourAgo.plus(Duration.ofHours(1))
                            + " g2 cpu")) {
                KarafInstance.Result result = karaf.client(command);
                assertEquals(command + ": " + result.output(), 0, result.status());
                assertFalse(command + " printed a log line: " + result.output(), LOG_LINE.matcher(result.output()).find());
            }
            // A tag value holding the option syntax's own delimiters, escaped; a cut listing says so.
            Instant later = hourAgo.plusSeconds(60);
            String range = " --from " + hourAgo.minus(Duration.ofHours(1)) + " --to " + hourAgo.plus(Duration.ofHours(1)) + " g2 cpu";
            assertExactly(karaf.client("banyan:write --tags 'host=a\\,b\\=c' --fields value=2.5 --time " + later + " g2 cpu"), 0,
                    "Wrote 1 point to g2/cpu at " + later + "\n");
            assertExactly(karaf.client("banyan:write --tags host=h1 --fields value=3.5 --time " + later + " g2 cpu"), 0,
                    "Wrote 1 point to g2/cpu at " + later + "\n");
            KarafInstance.Result escaped = karaf.client("banyan:query --where 'host=a\\,b\\=c'" + range);
            assertTrue(escaped.output(), escaped.output().contains("{host=a,b=c}") && escaped.output().contains("2.5"));
            KarafInstance.Result cut = karaf.client("banyan:query --limit 1 --where host=h1" + range);
            assertTrue(cut.output(), cut.output().endsWith("Printed the first 1 row(s) of each series; 1 series have more "
                    + "(raise --limit to see them)\n") && !cut.output().contains("3.5"));
            // [R11] Schema changes through the shell: additive ones accepted, others refused up front naming
            // the object and the field, and group-delete saying what happens to the data.
            Path data = karaf.dataRoot().resolve("g2");
            assertExactly(karaf.client("banyan:measure-update --field extra:DOUBLE g2 cpu"), 0, "Updated measure g2/cpu (revision 3)\n");
            assertExactly(karaf.client("banyan:group-update --ttl 60d g2"), 0, "Updated group g2 (revision 4)\n");
            KarafInstance.Result unit = karaf.client("banyan:group-update --interval 1h g2");
            assertEquals(unit.output(), 1, unit.status());
            assertTrue(unit.output(), unit.output().startsWith(
                    "Error executing command: group g2: field 'segmentInterval': the unit cannot change from DAY to HOUR"));
            assertExactly(karaf.client("banyan:measure-delete g2 cpu"), 0,
                    "Deleted measure g2/cpu from the schema; its stored points stay in group g2's data\n");
            assertExactly(karaf.client("banyan:group-delete g2"), 0, "Deleted group g2 from the schema; its data stays at " + data
                    + ". Creating group g2 again (same segment interval unit) serves it again; banyan:group-delete --drop-data g2 "
                    + "deletes it.\n");
            KarafInstance.Result recreate = karaf.client("banyan:group-create --interval 1h g2");
            assertEquals(recreate.output(), 1, recreate.status());
            assertTrue(recreate.output(), recreate.output().startsWith("Error executing command: group g2: field 'segmentInterval': "
                    + "unit HOUR does not match the data already stored at " + data + ", whose segments are named for DAY"));
            assertExactly(karaf.client("banyan:group-delete --drop-data g2"), 0, "Deleted the data of group g2 at " + data + "\n");
            assertExactly(karaf.client("banyan:group-create --interval 1h g2"), 0, "Created group g2 (revision 7)\n");
            assertExactly(karaf.client("banyan:status"), 0, "Schema registry: embedded, current at revision 7\n"
                    + "Group | State   | Measures | Reason\n"
                    + "------+---------+----------+-------\n"
                    + "g2    | SERVING | 0        |\n"
                    + "Ready: serving 1 group(s)\n");
            assertTrue("the log itself still reaches the server's console",
                    karaf.output().contains("Opened group g2"));
            assertEquals(0, karaf.shutdown(Duration.ofSeconds(60)));
        }
    }

    @Test
    public void fatalLineOfAFailureMetInACommandGoesToTheServersStderrNotTheSession() throws Exception {
        try (KarafInstance karaf = KarafInstance.create(tmp.newFolder("stderr").toPath())) {
            // 'server': no log on the console, so fail-fast prints its FATAL line to stderr itself.
            karaf.start("server");
            karaf.awaitServing(BOOT);
            Path segment = Files.createDirectories(karaf.dataRoot().resolve("legacy/seg-20240101"));
            Files.writeString(segment.resolve("metadata"), "1.3.0\n");
            Files.createDirectories(segment.resolve("shard-0"));
            // The group opens on the command's own thread, where System.err is the session's.
            KarafInstance.Result result = karaf.client("banyan:group-create legacy");
            assertEquals("exit status; output:\n" + karaf.output(), 1, karaf.awaitExit(Duration.ofSeconds(60)));
            assertFalse("FATAL reached the client: " + result.output(), result.output().contains("FATAL"));
            List<String> fatal = karaf.fatalLines();
            assertEquals("exactly one FATAL line on the server's stderr:\n" + karaf.output(), 1, fatal.size());
            assertTrue(fatal.get(0), fatal.get(0).contains("incompatible version 1.3.0"));
        }
    }

    private static void assertExactly(KarafInstance.Result result, int status, String output) {
        assertEquals(output, result.output());
        assertEquals(result.output(), status, result.status());
    }
}
