package dev.banyan.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

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
 * [L3] Every bundle resolves and is ACTIVE in a real Felix framework, and every Declarative
 * Services component of the project is ACTIVE with no unsatisfied reference.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FelixBundlesTest {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return FelixOptions.base().toArray(new Option[0]);
    }

    @Test
    public void everyBundleIsActive() throws Exception {
        // pax-exam only logs resolution failures, so the state of every bundle is asserted here.
        Await.until(Duration.ofSeconds(30), () -> {
            List<String> notActive = Arrays.stream(context.getBundles())
                    .filter(b -> b.getHeaders().get("Fragment-Host") == null)
                    .filter(b -> b.getState() != Bundle.ACTIVE)
                    .map(b -> b.getSymbolicName() + " state " + b.getState())
                    .toList();
            return notActive.isEmpty() ? null : "bundles not ACTIVE: " + notActive;
        });
        Set<String> names = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.toSet());
        for (ReactorBundles.BuiltBundle built : ReactorBundles.forFelix()) {
            assertTrue(built.symbolicName() + " is installed", names.contains(built.symbolicName()));
        }
    }

    @Test
    public void everyProjectComponentIsActiveWithItsReferencesSatisfied() throws Exception {
        Await.until(Duration.ofSeconds(30), () -> {
            List<String> problems = new ArrayList<>();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                if (!description.bundle.symbolicName.startsWith("dev.banyan.")) {
                    continue;
                }
                if (!scr.isComponentEnabled(description)) {
                    problems.add(description.name + " is disabled");
                    continue;
                }
                var configurations = scr.getComponentConfigurationDTOs(description);
                if (configurations.isEmpty()) {
                    problems.add(description.name + " has no configuration");
                }
                for (ComponentConfigurationDTO configuration : configurations) {
                    if (configuration.state != ComponentConfigurationDTO.ACTIVE
                            || configuration.unsatisfiedReferences.length > 0) {
                        problems.add(description.name + " state " + configuration.state + " unsatisfied "
                                + Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name).toList());
                    }
                }
            }
            return problems.isEmpty() ? null : String.join("; ", problems);
        });
        long projectComponents = scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.bundle.symbolicName.startsWith("dev.banyan.")).count();
        assertTrue("the project registers components", projectComponents > 0);
        assertEquals(0, scr.getComponentDescriptionDTOs().stream()
                .filter(d -> d.bundle.symbolicName.startsWith("dev.banyan.") && !scr.isComponentEnabled(d)).count());
    }
}
