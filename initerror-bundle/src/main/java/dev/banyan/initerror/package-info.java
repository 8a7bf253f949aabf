/**
 * The permanent-error contract: how a failure that retrying cannot fix is marked and recognised.
 * <p>
 * A producer (for example the storage engine meeting a segment written by an incompatible format)
 * either throws a type that implements {@link dev.banyan.initerror.Permanent}, or wraps any
 * throwable with {@link dev.banyan.initerror.PermanentErrors#asPermanent(Throwable)}. A consumer
 * (for example a retry loop) asks {@link dev.banyan.initerror.PermanentErrors#isPermanent(Throwable)},
 * which looks through causes, suppressed exceptions and the JDK's wrapper exceptions.
 * <p>
 * This package depends on nothing but {@code java.*}, so every layer can use it without creating
 * an edge between the layers.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.banyan.initerror;
