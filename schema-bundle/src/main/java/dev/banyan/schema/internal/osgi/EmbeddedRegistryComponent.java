package dev.banyan.schema.internal.osgi;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.GroupStatus;
import dev.banyan.schema.api.HandlerRegistration;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.NodeRegistry;
import dev.banyan.schema.api.RegistryState;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.api.SchemaRepository;
import dev.banyan.schema.internal.etcd.EtcdBackend;
import dev.banyan.schema.internal.etcd.NodeReport;
import dev.banyan.schema.internal.registry.EmbeddedRegistry;
import dev.banyan.schema.internal.registry.RetryClock;

/**
 * [R2][R3] The schema registry as a service, plus the whiteboard: every {@link SchemaEventHandler}
 * service is registered (with the onInit retry) on a thread of its own, so DS is never blocked.
 * The backend is chosen by configuration: the embedded YAML file (default), or etcd, shared by
 * every server pointing at it; with etcd this server also joins the node registry, published as
 * the {@link NodeRegistry} service.
 */
@Component(service = SchemaRegistry.class, configurationPid = "dev.banyan.schema.registry", immediate = true)
@Designate(ocd = EmbeddedRegistryComponent.Config.class)
public final class EmbeddedRegistryComponent implements SchemaRegistry {

    @ObjectClassDefinition(name = "Banyan schema registry", description = "Where groups and measures are kept: "
            + "an embedded file, or etcd shared by several servers.")
    public @interface Config {

        @AttributeDefinition(name = "Backend", description = "embedded: schema.yaml on this server; etcd: the etcd "
                + "cluster at etcdEndpoints, shared by every server pointing at it.", options = {
                    @org.osgi.service.metatype.annotations.Option(value = "embedded"),
                    @org.osgi.service.metatype.annotations.Option(value = "etcd") })
        String backend() default "embedded";

        @AttributeDefinition(name = "etcd endpoints", description = "Comma-separated client URLs of the etcd members, "
                + "tried in order (etcd backend).")
        String etcdEndpoints() default "http://127.0.0.1:2379";

        @AttributeDefinition(name = "etcd key prefix", description = "Key prefix of this cluster's schema and nodes "
                + "(etcd backend); clusters sharing one etcd need distinct prefixes.")
        String etcdPrefix() default "/banyan";

        @AttributeDefinition(name = "etcd deadline (seconds)", description = "How long etcd may be out of reach before "
                + "the server stops with a FATAL line (etcd backend); meanwhile the schema shows as stale.", min = "1")
        int etcdDeadlineSeconds() default 60;

        @AttributeDefinition(name = "Node id", description = "This server's id in the node registry (etcd backend). "
                + "Empty: <host name>-<hash of the data directory>, stable across restarts.")
        String nodeId() default "";

        @AttributeDefinition(name = "Node address", description = "Where other servers and clients reach this one, as "
                + "published in the node registry (etcd backend). Empty: the host name.")
        String nodeAddress() default "";

        @AttributeDefinition(name = "Node lease TTL (seconds)", description = "How long a server that stopped renewing "
                + "its registration (killed, cut off) stays listed (etcd backend).", min = "2")
        int nodeLeaseTtlSeconds() default 10;

        @AttributeDefinition(name = "Directory", description = "Where schema.yaml is kept (embedded backend). Empty: "
                + "<dataRoot>/.registry under the storage engine's data root (PID dev.banyan.storage), so that the "
                + "registry moves with the data.")
        String directory() default "";

        @AttributeDefinition(name = "OnInit deadline (seconds)", description = "How long a handler's initialisation "
                + "is retried after transient failures; at least 1.", min = "1")
        int onInitTimeoutSeconds() default 60;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistryComponent.class);

    @Reference
    private FailFast failFast;

    /** [R2] One data root: a change of the storage data root restarts the registry on the new one. */
    @Reference
    private StorageDataRoot dataRoot;

    private volatile SchemaRegistry registry;
    private EtcdBackend etcd;
    private ServiceRegistration<NodeRegistry> nodeService;
    private ServiceTracker<SchemaRepository, SchemaRepository> repositories;
    private final ExecutorService whiteboard = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "banyan-schema-whiteboard");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<SchemaEventHandler, HandlerRegistration> registered = new ConcurrentHashMap<>();
    /**
     * DS binds handler services before {@link #activate} has built the registry: those wait here
     * and are registered once it exists (guarded by this; null once activated).
     */
    private Map<SchemaEventHandler, Runnable> pendingUntilActive = new LinkedHashMap<>();

    @Activate
    void activate(BundleContext context, Config config) {
        build(context, config);
        Map<SchemaEventHandler, Runnable> pending;
        synchronized (this) {
            pending = pendingUntilActive;
            pendingUntilActive = null;
        }
        pending.values().forEach(whiteboard::execute);
    }

    private void build(BundleContext context, Config config) {
        Duration onInitTimeout = Duration.ofSeconds(Math.max(1, config.onInitTimeoutSeconds()));
        String backend = config.backend().strip().toLowerCase(Locale.ROOT);
        if (backend.equals("etcd")) {
            repositories = new ServiceTracker<>(context, SchemaRepository.class, null);
            repositories.open();
            etcd = new EtcdBackend(etcdSettings(config, onInitTimeout), failFast, this::report);
            registry = etcd.registry();
            nodeService = context.registerService(NodeRegistry.class, etcd.nodes(), null);
            return;
        }
        if (!backend.equals("embedded")) {
            throw new IllegalArgumentException("dev.banyan.schema.registry: backend = '" + config.backend()
                    + "' is not a backend; use embedded or etcd");
        }
        Path dir = config.directory().isBlank() ? dataRoot.registryDirectory() : Path.of(config.directory().strip());
        EmbeddedRegistry embedded = new EmbeddedRegistry(dir.toAbsolutePath().normalize(), RetryClock.SYSTEM, onInitTimeout);
        registry = embedded;
        LOG.info("Schema registry at {} (revision {})", embedded.file(), embedded.revision());
    }

    @Deactivate
    void deactivate() {
        whiteboard.shutdownNow();
        registered.values().forEach(HandlerRegistration::close);
        registered.clear();
        if (etcd != null) {
            nodeService.unregister();
            etcd.close();
            repositories.close();
        }
    }

    private static EtcdBackend.Settings etcdSettings(Config config, Duration onInitTimeout) {
        List<URI> endpoints = Arrays.stream(config.etcdEndpoints().split(",")).map(String::strip).filter(e -> !e.isEmpty())
                .map(e -> URI.create(e.replaceAll("/+$", ""))).toList();
        for (URI endpoint : endpoints) {
            if (!"http".equals(endpoint.getScheme()) || endpoint.getHost() == null || !endpoint.getPath().isEmpty()) {
                throw new IllegalArgumentException("dev.banyan.schema.registry: etcdEndpoints = '" + config.etcdEndpoints()
                        + "': " + endpoint + " is not an http://host:port URL");
            }
        }
        String host = hostName();
        String nodeId = config.nodeId().isBlank() ? host + "-" + dataDirectoryHash() : config.nodeId().strip();
        String address = config.nodeAddress().isBlank() ? host : config.nodeAddress().strip();
        return new EtcdBackend.Settings(endpoints, config.etcdPrefix(), Duration.ofSeconds(Math.max(1, config.etcdDeadlineSeconds())),
                onInitTimeout, nodeId, address, Duration.ofSeconds(Math.max(2, config.nodeLeaseTtlSeconds())));
    }

    /** What this node publishes in the node registry: the groups it serves, and whether it serves them all. */
    private NodeReport report(RegistryState state) {
        SchemaRepository repository = repositories.getService();
        if (repository == null) {
            return new NodeReport(List.of(), false);
        }
        List<GroupStatus> statuses = repository.status();
        List<String> serving = statuses.stream().filter(s -> s.state() == GroupStatus.State.SERVING).map(GroupStatus::group)
                .sorted().toList();
        return new NodeReport(serving, state.current() && serving.size() == statuses.size());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** Distinguishes two servers on one host (each has its own data directory) and stays stable across restarts. */
    private static String dataDirectoryHash() {
        String karafData = System.getProperty("karaf.data");
        Path dir = (karafData != null ? Path.of(karafData) : Path.of("")).toAbsolutePath().normalize();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(dir.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindHandler(SchemaEventHandler handler, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(SchemaEventHandler.NAME_PROPERTY,
                "service-" + properties.get("service.id")));
        Set<Kind> kinds = kinds(properties.get(SchemaEventHandler.KINDS_PROPERTY));
        Runnable registration = () -> {
            try {
                registered.put(handler, registry.registerHandler(name, kinds, handler));
            } catch (RuntimeException e) {
                failFast.fail("schema handler " + name + ": initialisation", e);
            }
        };
        synchronized (this) {
            if (pendingUntilActive != null) {
                pendingUntilActive.put(handler, registration);
                return;
            }
        }
        whiteboard.execute(registration);
    }

    void unbindHandler(SchemaEventHandler handler) {
        synchronized (this) {
            if (pendingUntilActive != null) {
                pendingUntilActive.remove(handler);
                return;
            }
        }
        // After any registration of it still queued on the whiteboard thread.
        Runnable unregister = () -> {
            HandlerRegistration registration = registered.remove(handler);
            if (registration != null) {
                registration.close();
            }
        };
        try {
            whiteboard.execute(unregister);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            unregister.run(); // deactivating: the whiteboard is shut down
        }
    }

    private static Set<Kind> kinds(Object property) {
        if (property == null) {
            return EnumSet.allOf(Kind.class);
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        Iterable<?> values = property instanceof String[] array ? List.of(array)
                : property instanceof Iterable<?> iterable ? iterable : List.of(property);
        for (Object value : values) {
            kinds.add(Kind.valueOf(String.valueOf(value).trim().toUpperCase()));
        }
        return kinds;
    }

    @Override
    public long revision() {
        return registry.revision();
    }

    @Override
    public Group createGroup(Group group) {
        return registry.createGroup(group);
    }

    @Override
    public Group updateGroup(Group group) {
        return registry.updateGroup(group);
    }

    @Override
    public boolean deleteGroup(String name) {
        return registry.deleteGroup(name);
    }

    @Override
    public Optional<Group> getGroup(String name) {
        return registry.getGroup(name);
    }

    @Override
    public List<Group> listGroups() {
        return registry.listGroups();
    }

    @Override
    public Measure createMeasure(Measure measure) {
        return registry.createMeasure(measure);
    }

    @Override
    public List<Measure> createMeasuresIfAbsent(List<Measure> measures) {
        return registry.createMeasuresIfAbsent(measures);
    }

    @Override
    public Measure updateMeasure(Measure measure) {
        return registry.updateMeasure(measure);
    }

    @Override
    public Measure updateMeasure(Measure measure, long expectedModRevision) {
        return registry.updateMeasure(measure, expectedModRevision);
    }

    @Override
    public boolean deleteMeasure(String group, String name) {
        return registry.deleteMeasure(group, name);
    }

    @Override
    public Optional<Measure> getMeasure(String group, String name) {
        return registry.getMeasure(group, name);
    }

    @Override
    public List<Measure> listMeasures(String group) {
        return registry.listMeasures(group);
    }

    @Override
    public HandlerRegistration registerHandler(String name, Set<Kind> kinds, SchemaEventHandler handler) {
        return registry.registerHandler(name, kinds, handler);
    }

    @Override
    public RegistryState state() {
        return registry.state();
    }
}
