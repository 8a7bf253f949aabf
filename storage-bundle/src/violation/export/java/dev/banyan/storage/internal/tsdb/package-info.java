/** Compiled only by the violation-storage-export profile: versioning an internal package exports it. */
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.banyan.storage.internal.tsdb;
