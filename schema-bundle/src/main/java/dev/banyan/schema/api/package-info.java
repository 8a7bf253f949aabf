/**
 * The schema side of Banyan OSGi: the model (groups and measures), the registry that stores it and
 * notifies handlers, the repository that keeps every group's database initialised, and the
 * fail-fast decision for errors no retry can fix.
 * <p>
 * This package does not depend on the storage engine. A group's database is opened through
 * {@link dev.banyan.schema.api.GroupDatabaseSupplier}, implemented by whichever bundle joins
 * schema and storage.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.banyan.schema.api;
