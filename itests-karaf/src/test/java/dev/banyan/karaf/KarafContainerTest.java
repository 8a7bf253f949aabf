package dev.banyan.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Our assembly in pax-exam's Karaf container: every bundle ACTIVE, and every Banyan DS component
 * ACTIVE with its references satisfied, read from {@link ServiceComponentRuntime} (Karaf's
 * {@code scr:list} prints nothing in this assembly).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafContainerTest {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository");
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(new File(System.getProperty("banyan.assembly.archive")).toURI().toString())
                    .name("Banyan OSGi").unpackDirectory(new File("target/exam")).useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole(),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepository),
        };
    }

    /**
     * Runs in the container's JVM, which pax-exam forks from the test JVM: it ends with the test
     * JVM, even one killed with SIGKILL (no shutdown hook of pax-exam's runs then), so a killed run
     * leaves no Karaf behind. {@code ProcessHandle.isAlive} compares start times: a new process that
     * reused the test JVM's pid does not keep this one alive.
     */
    @Before
    public void endWithTheTestJvm() {
        synchronized (KarafContainerTest.class) {
            if (Boolean.getBoolean("banyan.test.watchdog")) {
                return;
            }
            System.setProperty("banyan.test.watchdog", "true");
        }
        ProcessHandle.current().parent().ifPresent(testJvm -> {
            Thread watchdog = new Thread(() -> {
                while (testJvm.isAlive()) {
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                Runtime.getRuntime().halt(1);
            }, "test-jvm-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        });
    }

    @Test
    public void everyBundleAndEveryBanyanComponentIsActive() throws Exception {
        long deadline = System.nanoTime() + 120_000_000_000L;
        List<String> problems;
        do {
            problems = new ArrayList<>();
            for (Bundle bundle : context.getBundles()) {
                if (bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get("Fragment-Host") == null) {
                    problems.add(bundle.getSymbolicName() + " state " + bundle.getState());
                }
            }
            long banyanComponents = 0;
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (!description.bundle.symbolicName.startsWith("dev.banyan.")) {
                    continue;
                }
                banyanComponents++;
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state != ComponentConfigurationDTO.ACTIVE || configuration.unsatisfiedReferences.length > 0) {
                        problems.add(description.name + " state " + configuration.state);
                    }
                }
            }
            if (banyanComponents < 5) {
                problems.add("only " + banyanComponents + " Banyan components so far");
            }
            if (!problems.isEmpty()) {
                Thread.sleep(100);
            }
        } while (!problems.isEmpty() && System.nanoTime() < deadline);
        assertEquals(List.of(), problems);
        assertTrue(Arrays.stream(context.getBundles()).anyMatch(b -> "dev.banyan.shell".equals(b.getSymbolicName())));
    }
}
