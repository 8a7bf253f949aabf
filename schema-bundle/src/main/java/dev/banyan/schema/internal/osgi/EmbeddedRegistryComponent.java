package dev.banyan.schema.internal.osgi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.Group;
import dev.banyan.schema.api.HandlerRegistration;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.Measure;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.schema.api.SchemaRegistry;
import dev.banyan.schema.internal.registry.EmbeddedRegistry;
import dev.banyan.schema.internal.registry.RetryClock;

/**
 * [R2][R3] The embedded registry as a service, plus the whiteboard: every {@link SchemaEventHandler}
 * service is registered (with the onInit retry) on a thread of its own, so DS is never blocked.
 */
@Component(service = SchemaRegistry.class, configurationPid = "dev.banyan.schema.registry", immediate = true)
@Designate(ocd = EmbeddedRegistryComponent.Config.class)
public final class EmbeddedRegistryComponent implements SchemaRegistry {

    @ObjectClassDefinition(name = "Banyan schema registry", description = "The embedded, file-backed schema registry.")
    public @interface Config {

        @AttributeDefinition(name = "Directory", description = "Where schema.yaml is kept. Empty: "
                + "<karaf.data>/banyan/.registry in Karaf, else ./banyan-data/.registry.")
        String directory() default "";

        @AttributeDefinition(name = "OnInit deadline (seconds)", description = "How long a handler's initialisation "
                + "is retried after transient failures.", min = "1")
        int onInitTimeoutSeconds() default 60;
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistryComponent.class);

    @Reference
    private FailFast failFast;

    private EmbeddedRegistry registry;
    private final ExecutorService whiteboard = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "banyan-schema-whiteboard");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<SchemaEventHandler, HandlerRegistration> registered = new ConcurrentHashMap<>();

    @Activate
    void activate(Config config) {
        Path dir = config.directory().isBlank() ? defaultDirectory() : Path.of(config.directory().strip());
        registry = new EmbeddedRegistry(dir.toAbsolutePath().normalize(), RetryClock.SYSTEM,
                Duration.ofSeconds(Math.max(1, config.onInitTimeoutSeconds())));
        LOG.info("Schema registry at {} (revision {})", registry.file(), registry.revision());
    }

    @Deactivate
    void deactivate() {
        whiteboard.shutdownNow();
        registered.values().forEach(HandlerRegistration::close);
        registered.clear();
    }

    static Path defaultDirectory() {
        String karafData = System.getProperty("karaf.data");
        return karafData != null ? Path.of(karafData, "banyan", ".registry") : Path.of("banyan-data", ".registry");
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindHandler(SchemaEventHandler handler, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault(SchemaEventHandler.NAME_PROPERTY,
                "service-" + properties.get("service.id")));
        Set<Kind> kinds = kinds(properties.get(SchemaEventHandler.KINDS_PROPERTY));
        whiteboard.execute(() -> {
            try {
                registered.put(handler, registry.registerHandler(name, kinds, handler));
            } catch (RuntimeException e) {
                failFast.fail("schema handler " + name + ": initialisation", e);
            }
        });
    }

    void unbindHandler(SchemaEventHandler handler) {
        HandlerRegistration registration = registered.remove(handler);
        if (registration != null) {
            registration.close();
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
    public Measure updateMeasure(Measure measure) {
        return registry.updateMeasure(measure);
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
}
