package dev.banyan.itests;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/** Service look-ups and Config Admin updates shared by the in-Felix tests. */
final class OsgiServices {

    private OsgiServices() {
    }

    /** Sets one property of {@code pid} (location "?": any bundle may bind it). */
    static void configure(ConfigurationAdmin configAdmin, String pid, String key, String value) throws Exception {
        org.osgi.service.cm.Configuration configuration = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(key, value);
        configuration.update(properties);
    }

    /** The service.id of the current {@code type} service, or -1. */
    static long serviceId(BundleContext context, Class<?> type) {
        ServiceReference<?> reference = context.getServiceReference(type);
        return reference == null ? -1 : (Long) reference.getProperty("service.id");
    }

    static <T> Optional<T> service(BundleContext context, Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        return reference == null ? Optional.empty() : Optional.ofNullable(context.getService(reference));
    }
}
