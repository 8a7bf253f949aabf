/**
 * The PromQL engine of Banyan: {@link dev.banyan.promql.api.PromQLEngine} (an OSGi service) parses
 * and evaluates PromQL with the semantics of Prometheus 2.42 over any
 * {@link dev.banyan.promql.api.SeriesSource}, the small SPI a storage implements to be queried.
 * See {@code docs/PROMQL.md} for the supported subset.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.banyan.promql.api;
