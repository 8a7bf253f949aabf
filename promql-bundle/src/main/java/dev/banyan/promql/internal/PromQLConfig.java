package dev.banyan.promql.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the Prometheus query API (PID {@code dev.banyan.promql}, file {@code etc/dev.banyan.promql.cfg}). */
@ObjectClassDefinition(name = "Banyan PromQL", description = "The Prometheus HTTP query API over a Banyan group")
public @interface PromQLConfig {

    String PID = "dev.banyan.promql";

    @AttributeDefinition(description = "The group holding the series written by Prometheus remote write (the http bundle's group)")
    String group() default "prometheus";

    @AttributeDefinition(description = "Longest a query may run, in milliseconds, at least 1; a longer one fails with 503 "
            + "timeout", min = "1")
    long queryTimeoutMs() default 120_000;

    @AttributeDefinition(description = "Samples a query may load plus points it may return, at least 1; more fails with 422 "
            + "execution", min = "1")
    long maxSamples() default 50_000_000;

    @AttributeDefinition(description = "How far back an instant vector selector looks for a sample, in milliseconds, at "
            + "least 1", min = "1")
    long lookbackDeltaMs() default 300_000;
}
