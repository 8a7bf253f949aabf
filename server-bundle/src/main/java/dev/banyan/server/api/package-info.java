/**
 * Banyan OSGi for applications: {@link dev.banyan.server.api.MeasureService} writes and queries the
 * measures declared in the schema registry, validating every point against its measure first.
 * Obtain it as an OSGi service.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.banyan.server.api;
