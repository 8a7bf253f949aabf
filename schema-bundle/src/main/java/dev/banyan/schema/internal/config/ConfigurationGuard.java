package dev.banyan.schema.internal.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.initerror.PermanentErrors;
import dev.banyan.schema.api.FailFast;

/**
 * [R11] The one gate every Banyan configuration ({@code dev.banyan.*} PIDs) passes before a component
 * sees it, checked against the metatype of the bundle that declares the PID (see
 * {@link ConfigurationCheck}):
 * <ul>
 * <li>at boot (the first time a guard starts in this JVM), a bad value anywhere stops the server: one
 * FATAL line naming every PID, property, value and what is allowed, then a non-zero exit;</li>
 * <li>live (Config Admin, e.g. an edit of {@code etc/*.cfg}), a bad value is rejected with one ERROR
 * line saying the same, and components get the configuration last accepted for the PID instead (as a
 * {@link ConfigurationPlugin}); for a PID with none accepted yet (a guard restarted by a bundle
 * update), they get the stored one without its bad properties, i.e. those at their defaults.</li>
 * </ul>
 * Ranked last among the plugins that may change a configuration, so it sees values as components
 * would (after interpolation).
 */
@Component(service = ConfigurationPlugin.class, immediate = true,
        property = {ConfigurationPlugin.CM_RANKING + ":Integer=1000"})
public final class ConfigurationGuard implements ConfigurationPlugin {

    static final String PID_PREFIX = "dev.banyan.";
    /** Set in the JVM once the boot check ran: a guard started later (a bundle update) is not at boot. */
    private static final String BOOT_CHECKED = "dev.banyan.configuration.bootChecked";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationGuard.class);
    /** How long a JAAS realm named at boot may take to be registered. */
    private static final long REALM_GRACE_MS = 30_000;

    @Reference
    private MetaTypeService metatype;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Reference
    private FailFast failFast;

    private BundleContext context;
    /** Per PID, the configuration last accepted; what a component gets while a bad one is stored. */
    private final Map<String, Dictionary<String, Object>> accepted = new ConcurrentHashMap<>();
    /** Per PID, the problems last reported, so a configuration read many times is reported once. */
    private final Map<String, List<String>> reported = new ConcurrentHashMap<>();

    @Activate
    void activate(BundleContext context) throws IOException, InvalidSyntaxException {
        this.context = context;
        boolean boot = System.getProperties().putIfAbsent(BOOT_CHECKED, "true") == null;
        Map<String, Map<String, String>> bootProblems = new LinkedHashMap<>();
        Configuration[] stored = configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + PID_PREFIX + "*)");
        for (Configuration configuration : stored == null ? new Configuration[0] : stored) {
            String pid = configuration.getPid();
            Dictionary<String, Object> properties = configuration.getProperties();
            Map<String, String> bad = problems(pid, properties);
            if (bad.isEmpty()) {
                accepted.put(pid, copy(properties));
            } else if (boot) {
                bootProblems.put(pid, bad);
            } else {
                report(pid, bad);
            }
        }
        if (!bootProblems.isEmpty()) {
            // Off the DS thread: fail-fast stops the framework, which waits for activations to end.
            Thread fatal = new Thread(() -> failAtBoot(bootProblems), "banyan-configuration-guard");
            fatal.setDaemon(true);
            fatal.start();
        }
    }

    /**
     * One FATAL line naming every bad value found at boot. A JAAS realm may be registered by its
     * bundle a moment after this guard starts, so while a missing realm is the only problem it is
     * looked for again for {@link #REALM_GRACE_MS}.
     */
    private void failAtBoot(Map<String, Map<String, String>> problems) {
        long deadline = System.currentTimeMillis() + REALM_GRACE_MS;
        while (onlyRealm(problems) && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(250);
                Dictionary<String, Object> properties = configurationAdmin.getConfiguration(UsableValues.REALM_PID, null).getProperties();
                if (properties != null && problems(UsableValues.REALM_PID, properties).isEmpty()) {
                    accepted.put(UsableValues.REALM_PID, copy(properties));
                    return;
                }
            } catch (IOException | InterruptedException e) {
                break;
            }
        }
        List<String> texts = new ArrayList<>();
        problems.forEach((pid, bad) -> texts.add(pid + ": " + String.join("; ", bad.values())));
        failFast.fail("configuration", PermanentErrors.asPermanent(
                new IllegalArgumentException("invalid configuration " + String.join("; ", texts))));
    }

    private static boolean onlyRealm(Map<String, Map<String, String>> problems) {
        return problems.size() == 1 && problems.containsKey(UsableValues.REALM_PID)
                && problems.get(UsableValues.REALM_PID).keySet().equals(java.util.Set.of(UsableValues.REALM_PROPERTY));
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (!(properties.get(Constants.SERVICE_PID) instanceof String pid) || !pid.startsWith(PID_PREFIX)) {
            return;
        }
        Map<String, String> problems = problems(pid, properties);
        if (problems.isEmpty()) {
            accepted.put(pid, copy(properties));
            reported.remove(pid);
            return;
        }
        report(pid, problems);
        Dictionary<String, Object> previous = accepted.get(pid);
        if (previous == null) {
            // Nothing accepted for this PID yet: its bad properties fall back to their defaults.
            problems.keySet().forEach(properties::remove);
            return;
        }
        for (String key : Collections.list(properties.keys())) {
            properties.remove(key);
        }
        for (String key : Collections.list(previous.keys())) {
            properties.put(key, previous.get(key));
        }
    }

    /** One ERROR line per rejected configuration, however often components read it. */
    private void report(String pid, Map<String, String> problems) {
        List<String> texts = List.copyOf(problems.values());
        if (!texts.equals(reported.put(pid, texts))) {
            LOG.error("Configuration {} rejected: {}. The previous configuration of {} stays in force.", pid,
                    String.join("; ", problems.values()), pid);
        }
    }

    private Map<String, String> problems(String pid, Dictionary<String, ?> properties) {
        return definition(pid).map(ocd -> ConfigurationCheck.problems(pid, ocd, properties)).orElse(Map.of());
    }

    /** The metatype a Banyan bundle declares for {@code pid}; none for a PID nobody describes. */
    private Optional<ObjectClassDefinition> definition(String pid) {
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name == null || !name.startsWith(PID_PREFIX)) {
                continue;
            }
            MetaTypeInformation information = metatype.getMetaTypeInformation(bundle);
            if (information != null && Arrays.asList(information.getPids()).contains(pid)) {
                return Optional.ofNullable(information.getObjectClassDefinition(pid, null));
            }
        }
        return Optional.empty();
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
        Hashtable<String, Object> copy = new Hashtable<>();
        for (String key : Collections.list(properties.keys())) {
            copy.put(key, properties.get(key));
        }
        return copy;
    }
}
