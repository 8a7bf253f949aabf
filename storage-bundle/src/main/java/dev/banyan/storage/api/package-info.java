/**
 * The storage engine's public surface: open a group's time-series database ({@link
 * dev.banyan.storage.api.StorageEngine}, {@link dev.banyan.storage.api.Tsdb}), describe it ({@link
 * dev.banyan.storage.api.TsdbOptions}), and the errors it reports. Everything else in the bundle is
 * private.
 * <p>
 * Errors: {@link dev.banyan.storage.api.StorageException} for everything; the subtypes that
 * implement {@code dev.banyan.initerror.Permanent} ({@link
 * dev.banyan.storage.api.IncompatibleVersionException}, {@link
 * dev.banyan.storage.api.CorruptSegmentException}) cannot be fixed by retrying; {@link
 * dev.banyan.storage.api.PointRejectedException} is the client's mistake (a point outside the
 * supported {@link dev.banyan.storage.api.Timestamps} range or the group's write window); {@link
 * dev.banyan.storage.api.StorageBusyException} says retry later.
 */
@org.osgi.annotation.versioning.Version("2.1.0")
package dev.banyan.storage.api;
