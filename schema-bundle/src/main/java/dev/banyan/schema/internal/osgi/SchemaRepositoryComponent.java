package dev.banyan.schema.internal.osgi;

import java.lang.management.ManagementFactory;
import java.util.EnumSet;
import java.util.List;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.GroupDatabaseSupplier;
import dev.banyan.schema.api.HandlerRegistration;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Readiness;
import dev.banyan.schema.api.ReadinessCheck;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.schema.internal.repository.Repository;
import dev.banyan.schema.internal.repository.RepositoryMetricsMBean;
import dev.banyan.schema.internal.repository.RetryPolicy;

/**
 * [R6][R9] Boots the repository off the DS thread and publishes {@link SchemaRepository} only once
 * every group is initialised. A boot that fails goes to {@link FailFast}: the server never serves
 * with a group missing.
 */
@Component(immediate = true, service = {})
// Registered by hand once boot has succeeded, so the capability is declared for resolvers here.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"dev.banyan.schema.api.SchemaRepository\"",
        uses = SchemaRepository.class)
public final class SchemaRepositoryComponent {

    static final String HANDLER_NAME = "schema-repository";
    static final String MBEAN_NAME = "dev.banyan:type=SchemaRepository";
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRepositoryComponent.class);

    @Reference
    private SchemaRegistry registry;

    @Reference
    private FailFast failFast;

    /** [R11] The node's other parts that readiness includes (the HTTP door when the http bundle runs). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ReadinessCheck> readinessChecks = List.of();

    /**
     * [R11] Mandatory: without storage this node serves nothing, and it never pretends otherwise (a
     * storage bundle leaving must not turn a data node "portable"). Greedy: a new supplier (a bundle
     * update) restarts the repository on it.
     */
    @Reference(policyOption = ReferencePolicyOption.GREEDY)
    private GroupDatabaseSupplier supplier;

    private Repository repository;
    private Thread boot;
    /** Guards the hand-over between the boot thread and deactivation, which may overlap. */
    private final Object lifecycle = new Object();
    private HandlerRegistration handlerRegistration;
    private ServiceRegistration<SchemaRepository> service;
    private boolean stopping;

    @Activate
    void activate(BundleContext context) {
        repository = new Repository(registry, supplier, failFast, RetryPolicy.defaults());
        repository.readinessChecks(() -> readinessChecks);
        registerMBean();
        if (failFast.hasFailed() || context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() == Bundle.STOPPING) {
            // [R11] After a FATAL, or while the framework stops, nothing boots or announces serving again.
            LOG.info("Schema repository not started: the server is stopping");
            return;
        }
        boot = new Thread(() -> boot(context), "banyan-schema-boot");
        boot.setDaemon(true);
        boot.start();
    }

    private void boot(BundleContext context) {
        HandlerRegistration registration;
        try {
            registration = registry.registerHandler(HANDLER_NAME, EnumSet.allOf(Kind.class), repository);
        } catch (RuntimeException e) {
            synchronized (lifecycle) {
                if (stopping) {
                    return; // deactivated meanwhile: the failure is a consequence, not a cause
                }
            }
            failFast.fail("schema repository boot", e);
            return;
        }
        synchronized (lifecycle) {
            if (stopping || failFast.hasFailed()) {
                // Boot outlived deactivation (onInit may retry for a minute), or another component
                // failed meanwhile: register nothing.
                registration.close();
                return;
            }
            handlerRegistration = registration;
            service = context.registerService(SchemaRepository.class, repository, null);
        }
        Readiness atBoot = repository.readiness();
        LOG.info("Schema repository booted: {}", atBoot.reason());
        if (!atBoot.ready()) {
            announceReadiness();
        }
    }

    /**
     * [R11] Readiness also waits for parts booted elsewhere (the HTTP door registers its servlets on
     * Pax Web's own thread), so boot may end before the node is ready. Operators read the log for the
     * moment it is: this says so once, polling (100 ms, backing off to 5 s) until then or until
     * deactivation interrupts the boot thread.
     */
    private void announceReadiness() {
        long pause = 100;
        Readiness readiness;
        do {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException stopping) {
                return;
            }
            synchronized (lifecycle) {
                if (stopping || failFast.hasFailed()) {
                    return;
                }
            }
            pause = Math.min(5_000, pause * 2);
            readiness = repository.readiness();
        } while (!readiness.ready());
        LOG.info("Node ready: {}", readiness.reason());
    }

    @Deactivate
    void deactivate() {
        synchronized (lifecycle) {
            stopping = true;
            if (service != null) {
                service.unregister();
            }
            if (handlerRegistration != null) {
                handlerRegistration.close();
            }
        }
        if (boot != null) {
            // Ends an onInit retry wait at once. Never joined: a boot thread that met a permanent
            // error is held by fail-fast until the process exits, and waiting for it would only
            // delay that exit. Closing the repository below is what guarantees no database stays open.
            boot.interrupt();
        }
        unregisterMBean();
        // Closes every database; a boot still running finds the repository closed and opens no more.
        repository.close();
    }

    private void registerMBean() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(repository, RepositoryMetricsMBean.class), name);
        } catch (JMException | RuntimeException e) {
            LOG.warn("Repository counters are not available over JMX: {}", e.toString());
        }
    }

    private void unregisterMBean() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(new ObjectName(MBEAN_NAME));
        } catch (JMException | RuntimeException e) {
            LOG.debug("Repository MBean already gone", e);
        }
    }
}
