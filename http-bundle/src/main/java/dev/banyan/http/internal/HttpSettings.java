package dev.banyan.http.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.FailFast;

/**
 * Holds the checked {@link Settings} of PID {@value HttpConfig#PID} for every endpoint. A bad value
 * at activation (boot) stops the server through {@link FailFast} with one FATAL line; a bad value
 * changed at runtime is refused with one ERROR line and the previous settings stay in force.
 */
@Component(service = HttpSettings.class, configurationPid = HttpConfig.PID, immediate = true)
@Designate(ocd = HttpConfig.class)
public final class HttpSettings {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSettings.class);

    @Reference
    private FailFast failFast;

    private volatile Settings current;

    @Activate
    void activate(HttpConfig config) {
        try {
            current = Settings.of(config);
        } catch (IllegalArgumentException e) {
            failFast.fail("configuration " + HttpConfig.PID, e);
            throw e;
        }
    }

    @Modified
    void modified(HttpConfig config) {
        try {
            current = Settings.of(config);
            LOG.info("Configuration {} applied", HttpConfig.PID);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; the previous configuration stays in force", e.getMessage());
        }
    }

    /** The settings in force. */
    public Settings current() {
        return current;
    }
}
