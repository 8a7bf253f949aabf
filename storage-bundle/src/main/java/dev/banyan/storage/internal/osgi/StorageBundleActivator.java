package dev.banyan.storage.internal.osgi;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import dev.banyan.storage.internal.segment.StorageVersions;

/**
 * [S3] Refuses to start the bundle when its {@code versions.yml} is missing or unparsable: an
 * engine that cannot tell which data it may read must not run at all.
 */
public final class StorageBundleActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        StorageVersions.bundled();
    }

    @Override
    public void stop(BundleContext context) {
        // Databases are closed by the engine component, which DS deactivates before this runs.
    }
}
