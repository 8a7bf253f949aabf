package dev.banyan.schema.internal.osgi;

import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.internal.failfast.ExitAction;
import dev.banyan.schema.internal.failfast.FailFastService;

/** [R9] The server's fail-fast decision: FATAL line, Banyan's bundles stopped (data closed), non-zero exit. */
@Component(service = FailFast.class, configurationPid = "dev.banyan.failfast", immediate = true)
@Designate(ocd = FailFastComponent.Config.class)
public final class FailFastComponent implements FailFast {

    @ObjectClassDefinition(name = "Banyan fail-fast", description = "What the server does when it meets an error it must not run with.")
    public @interface Config {

        @AttributeDefinition(name = "Exit status", description = "JVM exit status after a fatal error, 1-255.", min = "1", max = "255")
        int exitStatus() default 1;

        @AttributeDefinition(name = "Stop timeout (seconds)", description = "How long to wait for Banyan's bundles to "
                + "stop (closing databases, releasing locks) before exiting anyway, at least 1.", min = "1")
        int stopTimeoutSeconds() default 10;
    }

    private volatile ExitAction action;
    /** One per component, across reconfigurations: only the first failure of the process acts. */
    private final FailFastService delegate = new FailFastService((line, cause) -> action.execute(line, cause));

    /**
     * Reconfigured in place ({@link Modified}): the fail-fast service never goes away for a change of
     * its settings, so nothing that references it restarts.
     */
    @Activate
    @Modified
    void configure(BundleContext context, Config config) {
        int exitStatus = 1;
        int stopTimeoutSeconds = 10;
        try {
            exitStatus = config.exitStatus();
            stopTimeoutSeconds = config.stopTimeoutSeconds();
        } catch (RuntimeException e) {
            // A bad value here must not cost the server its fail-fast: the configuration guard
            // reports it (and stops the server at boot), with the defaults in force meanwhile.
        }
        action = new ExitAction(new DataBundles(context), Math.max(1, exitStatus), Duration.ofSeconds(Math.max(1, stopTimeoutSeconds)));
    }

    @Override
    public void fail(String context, Throwable cause) {
        delegate.fail(context, cause);
    }

    @Override
    public boolean hasFailed() {
        return delegate.hasFailed();
    }
}
