package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * [R11] Never half-alive: a bad configuration value is rejected live (the previous configuration
 * stays in force) and stops the server at boot; a component going away never demotes a data node;
 * {@code banyan:status} tells readiness by its exit status.
 */
public class KarafReadinessTest {

    private static final Duration BOOT = Duration.ofSeconds(180);

    /** One bad value per Banyan PID, and a word of what the rejection must say is allowed. */
    private record BadValue(String pid, String key, String value, String allowed) {
    }

    private static final List<BadValue> BAD_VALUES = List.of(
            new BadValue("dev.banyan.server", "durability", "fsync", "one of FSYNC, OS"),
            new BadValue("dev.banyan.storage", "retentionIntervalMinutes", "12O", "a whole number"),
            new BadValue("dev.banyan.failfast", "exitStatus", "one", "a whole number"),
            new BadValue("dev.banyan.schema.registry", "onInitTimeoutSeconds", "0", "at least 1"),
            new BadValue("dev.banyan.promql", "queryTimeoutMs", "-1", "at least 1"));

    /**
     * Values of the right type that a component could not use (whitespace a component reads as part
     * of the value, a data root that cannot be created, a realm that does not exist): refused like
     * any bad value.
     */
    private static final List<BadValue> UNUSABLE_VALUES = List.of(
            new BadValue("dev.banyan.server", "durability", "FSYNC ", "one of FSYNC, OS"),
            new BadValue("dev.banyan.http", "strict", "true ", "true or false"),
            new BadValue("dev.banyan.storage", "dataRoot", "/proc/nope", "a directory this server can create and write"),
            new BadValue("dev.banyan.http", "realm", "karfa", "the name of a registered JAAS realm"),
            new BadValue("dev.banyan.promql", "group", "no/such", "a group name"));

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void r11_badConfigurationValuesAreRejectedLiveKeepingThePreviousConfiguration() throws Exception {
        try (KarafInstance karaf = KarafInstance.create(tmp.newFolder("live").toPath())) {
            karaf.configure("dev.banyan.server", "durability", "OS");
            karaf.start();
            karaf.awaitServing(BOOT);
            assertOk(karaf.client("banyan:group-create --shards 1 g"), "Created group g");
            assertOk(karaf.client("banyan:measure-create --tag host:STRING --field value:DOUBLE --entity host g cpu"), "Created");
            for (BadValue bad : BAD_VALUES) {
                // As an operator does: edit the file of a running server (fileinstall applies it).
                karaf.configure(bad.pid(), bad.key(), bad.value());
                String expected = "Configuration " + bad.pid() + " rejected: " + bad.key() + " = '" + bad.value() + "'";
                try {
                    dev.banyan.testsupport.Await.until(expected, Duration.ofSeconds(60), () -> karaf.output().contains(expected));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; output:\n" + karaf.output(), e);
                }
                List<String> lines = karaf.output().lines().filter(l -> l.contains(expected)).toList();
                assertEquals("one ERROR line: " + lines, 1, lines.size());
                assertTrue(lines.get(0), lines.get(0).contains("ERROR") && lines.get(0).contains(bad.allowed())
                        && lines.get(0).contains("The previous configuration of " + bad.pid() + " stays in force"));
            }
            for (BadValue bad : UNUSABLE_VALUES) {
                karaf.configure(bad.pid(), bad.key(), bad.value());
                String rejected = "Configuration " + bad.pid() + " rejected:";
                String named = bad.key() + " = '" + bad.value() + "' is not allowed";
                try {
                    dev.banyan.testsupport.Await.until(rejected + " " + named, Duration.ofSeconds(60),
                            () -> karaf.output().lines().anyMatch(l -> l.contains(rejected) && l.contains(named)));
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; output:\n" + karaf.output(), e);
                }
                List<String> lines = karaf.output().lines().filter(l -> l.contains(rejected) && l.contains(named)).toList();
                assertEquals("one ERROR line: " + lines, 1, lines.size());
                assertTrue(lines.get(0), lines.get(0).contains("ERROR") && lines.get(0).contains(bad.allowed()));
            }
            assertFalse("no component failed on a value the guard let through:\n" + karaf.output(),
                    karaf.output().contains("No enum constant"));
            // The previous configuration is in force: the group serves with its storage, writes succeed.
            karaf.awaitAnswer("banyan:status", Duration.ofSeconds(60));
            assertOk(karaf.client("banyan:write --tags host=h1 --fields value=1.5 g cpu"), "Wrote 1 point");
            KarafInstance.Result status = karaf.client("banyan:status");
            assertOk(status, "Ready: serving 1 group(s)");
            assertFalse(status.output(), status.output().contains("PORTABLE"));
            assertEquals("still the status configured before", 0, karaf.shutdown(Duration.ofSeconds(60)));
        }
    }

    @Test
    public void r11_badConfigurationValuesStopTheServerAtBootWithOneFatalLine() throws Exception {
        try (KarafInstance karaf = KarafInstance.create(tmp.newFolder("boot").toPath())) {
            for (BadValue bad : BAD_VALUES) {
                karaf.configure(bad.pid(), bad.key(), bad.value());
            }
            karaf.start();
            int status = karaf.awaitExit(BOOT);
            assertNotEquals("exit status; output:\n" + karaf.output(), 0, status);
            List<String> fatal = karaf.fatalLines();
            assertEquals("exactly one FATAL line; output:\n" + karaf.output(), 1, fatal.size());
            for (BadValue bad : BAD_VALUES) {
                String named = bad.pid() + ": " + bad.key() + " = '" + bad.value() + "'";
                assertTrue("'" + named + "' in: " + fatal.get(0), fatal.get(0).contains(named));
            }
            assertFalse("never announced serving:\n" + karaf.output(), karaf.output().contains("serving"));
        }
    }

    @Test
    public void r11_valuesAComponentCannotUseStopTheServerAtBootWithOneFatalLine() throws Exception {
        List<BadValue> atBoot = List.of(UNUSABLE_VALUES.get(0), UNUSABLE_VALUES.get(2),
                new BadValue("dev.banyan.failfast", "exitStatus", "3 ", "a whole number"));
        try (KarafInstance karaf = KarafInstance.create(tmp.newFolder("unusable").toPath())) {
            for (BadValue bad : atBoot) {
                karaf.configure(bad.pid(), bad.key(), bad.value());
            }
            karaf.start();
            int status = karaf.awaitExit(Duration.ofSeconds(120));
            assertNotEquals("exit status; output:\n" + karaf.output(), 0, status);
            List<String> fatal = karaf.fatalLines();
            assertEquals("exactly one FATAL line; output:\n" + karaf.output(), 1, fatal.size());
            for (BadValue bad : atBoot) {
                String named = bad.pid() + ": " + bad.key() + " = '" + bad.value() + "' is not allowed";
                assertTrue("'" + named + "' in: " + fatal.get(0), fatal.get(0).contains(named));
            }
            assertFalse("never announced serving:\n" + karaf.output(), karaf.output().contains("serving"));
        }
    }

    @Test
    public void r11_storageGoingAwayNeverDemotesTheNodeAndStatusTellsReadinessByItsExitStatus() throws Exception {
        try (KarafInstance karaf = KarafInstance.create(tmp.newFolder("away").toPath())) {
            karaf.start();
            karaf.awaitServing(BOOT);
            assertOk(karaf.client("banyan:group-create --shards 1 g"), "Created group g");
            assertOk(karaf.client("banyan:status"), "Ready: serving 1 group(s)");

            // The bundle that joins schema and storage stops: the node serves nothing, and says so.
            assertOk(karaf.client("bundle:stop dev.banyan.server"), "");
            KarafInstance.Result away = karaf.client("banyan:status");
            assertNotEquals(away.output(), 0, away.status());
            assertTrue(away.output(), away.output().contains("not ready"));
            assertFalse("never PORTABLE: " + away.output(), away.output().contains("PORTABLE"));
            assertOk(karaf.client("bundle:start dev.banyan.server"), "");
            karaf.awaitOutput("banyan:status", Duration.ofSeconds(60), r -> r.status() == 0 && r.output().contains("SERVING"));

            // A group whose storage cannot open yet (permission denied: transient) makes the node not ready.
            Path held = Files.createDirectories(karaf.dataRoot().resolve("held"));
            Chattr.immutable(held, true);
            try {
                assertOk(karaf.client("banyan:group-create --shards 1 held"), "Created group held");
                KarafInstance.Result failing = karaf.client("banyan:status");
                assertNotEquals(failing.output(), 0, failing.status());
                assertTrue(failing.output(), failing.output().contains("not ready: group held: FAILED"));
            } finally {
                Chattr.immutable(held, false);
            }
            // Once the cause is gone, the retry opens it: ready again, without a restart.
            karaf.awaitOutput("banyan:status", Duration.ofSeconds(120), r -> r.status() == 0
                    && r.output().contains("Ready: serving 2 group(s)"));
            long announced = karaf.output().lines().filter(l -> l.contains("Schema repository booted")).count();
            assertEquals(0, karaf.shutdown(Duration.ofSeconds(60)));
            assertEquals("nothing announced serving while stopping:\n" + karaf.output(), announced,
                    karaf.output().lines().filter(l -> l.contains("Schema repository booted")).count());
        }
    }

    private static void assertOk(KarafInstance.Result result, String expected) {
        assertEquals(result.output(), 0, result.status());
        assertTrue(result.output(), result.output().contains(expected));
    }
}
