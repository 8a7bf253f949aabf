package dev.banyan.promql.http;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * The query limits of PID {@value Limits#PID} in force, held apart from the servlet. Declarative
 * Services copies a component's configuration onto the services it registers; on the servlet that
 * made every edit of {@code etc/dev.banyan.promql.cfg} a modified whiteboard servlet, which Pax Web
 * unregisters and registers again (404 meanwhile). The values are checked before they get here
 * (the configuration guard, against the PromQL bundle's metatype).
 */
@Component(service = QuerySettings.class, configurationPid = QuerySettings.Limits.PID, immediate = true)
public final class QuerySettings {

    /** The PID's query limits (documented, with the group, by the PromQL bundle's metatype). */
    public @interface Limits {
        String PID = "dev.banyan.promql";

        /** Longest a query may run (ms). */
        long queryTimeoutMs() default 120_000;

        /** Samples a query may load plus points it may return. */
        long maxSamples() default 50_000_000;

        /** How far back an instant vector selector looks for a sample (ms). */
        long lookbackDeltaMs() default 300_000;
    }

    private volatile Limits current;

    @Activate
    @Modified
    void configure(Limits limits) {
        current = limits;
    }

    /** The limits in force. */
    Limits current() {
        return current;
    }
}
