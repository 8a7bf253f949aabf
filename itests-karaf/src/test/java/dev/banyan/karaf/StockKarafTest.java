package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The banyan feature installs into a stock Apache Karaf 4.4.8 with feature:repo-add and feature:install. */
public class StockKarafTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void featureInstallsIntoStockKarafAndServes() throws Exception {
        try (KarafInstance karaf = KarafInstance.stock(tmp.newFolder("stock").toPath())) {
            karaf.start();
            karaf.awaitAnswer("bundle:list", Duration.ofSeconds(180));
            String version = System.getProperty("banyan.project.version");
            assertOk(karaf.client("feature:repo-add mvn:dev.banyan/features/" + version + "/xml/features"), "Adding feature url");
            assertOk(karaf.client("feature:install banyan"), "");
            karaf.awaitServing(Duration.ofSeconds(60));
            KarafInstance.Result bundles = karaf.client("bundle:list -s");
            for (String bsn : new String[] {"dev.banyan.initerror", "dev.banyan.storage", "dev.banyan.schema", "dev.banyan.server",
                "dev.banyan.shell"}) {
                assertTrue(bsn + " active in:\n" + bundles.output(), bundles.output().lines()
                        .anyMatch(l -> l.contains(bsn) && l.contains("Active")));
            }
            assertOk(karaf.client("banyan:group-create stock"), "Created group stock");
            assertOk(karaf.client("banyan:status"), "SERVING");
            assertEquals(0, karaf.shutdown(Duration.ofSeconds(60)));
        }
    }

    private static void assertOk(KarafInstance.Result result, String expected) {
        assertEquals(result.output(), 0, result.status());
        assertTrue(result.output(), result.output().contains(expected));
    }
}
