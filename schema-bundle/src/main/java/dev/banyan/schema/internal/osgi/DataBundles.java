package dev.banyan.schema.internal.osgi;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * [R9] What fail-fast releases before the process exits: the bundles that hold Banyan's data, which
 * say so in their manifest ({@value #HEADER}{@code : true}; the storage bundle does). Stopping one
 * deactivates, through Declarative Services, everything that uses it before it closes its
 * databases (the path {@code bundle:stop} takes): writes under way finish, nothing acknowledged is
 * lost, every lock is released. Found by header rather than by name so that this bundle never
 * depends on storage (see the README's architecture). Nothing else is stopped: the container's
 * bundles hold nothing Banyan promised to keep, and waiting for them is what made exit slow.
 */
final class DataBundles implements Runnable {

    /** Manifest header of a bundle that must be stopped cleanly before a fail-fast exit. */
    static final String HEADER = "Banyan-Holds-Data";
    private static final Logger LOG = LoggerFactory.getLogger(DataBundles.class);

    private final BundleContext context;

    DataBundles(BundleContext context) {
        this.context = context;
    }

    @Override
    public void run() {
        for (Bundle bundle : inStopOrder()) {
            try {
                // Transient: the bundle starts again with the next launch of the server.
                bundle.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException | IllegalStateException e) {
                LOG.warn("Could not stop {} before exit: {}", bundle.getSymbolicName(), e.toString());
            }
        }
    }

    /** Started data bundles, in the order the framework would stop them (highest start level, newest first). */
    List<Bundle> inStopOrder() {
        return Arrays.stream(context.getBundles())
                .filter(b -> "true".equalsIgnoreCase(String.valueOf(b.getHeaders("").get(HEADER)).strip()))
                .filter(b -> (b.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0)
                .sorted(Comparator.comparingInt(DataBundles::startLevel).thenComparingLong(Bundle::getBundleId).reversed())
                .toList();
    }

    private static int startLevel(Bundle bundle) {
        BundleStartLevel level = bundle.adapt(BundleStartLevel.class);
        return level == null ? 0 : level.getStartLevel();
    }
}
