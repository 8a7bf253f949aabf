package dev.banyan.schema.internal.osgi;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import dev.banyan.schema.api.FailFast;
import dev.banyan.schema.api.Kind;
import dev.banyan.schema.api.SchemaEvent;
import dev.banyan.schema.api.SchemaEventHandler;
import dev.banyan.testsupport.Await;

/**
 * [R3] DS binds a component's references before it activates it: a handler service bound to the
 * registry before its activation completes is registered once the registry exists, never raced
 * against it (which used to meet a null registry and fail the server fast).
 */
public class RegistryComponentLifecycleTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void r3_handlerBoundBeforeActivationIsRegisteredOnceTheRegistryExists() throws Exception {
        List<String> fatal = new CopyOnWriteArrayList<>();
        List<String> heard = new CopyOnWriteArrayList<>();
        EmbeddedRegistryComponent component = new EmbeddedRegistryComponent();
        var failFastField = EmbeddedRegistryComponent.class.getDeclaredField("failFast");
        failFastField.setAccessible(true);
        failFastField.set(component, (FailFast) (context, cause) -> fatal.add(context + ": " + cause));

        component.bindHandler(new SchemaEventHandler() {
            @Override
            public void onInit(Set<Kind> kinds) {
                heard.add("init " + kinds);
            }

            @Override
            public void onEvent(SchemaEvent event) {
                heard.add(event.type() + " " + event.object().describe());
            }
        }, Map.of(SchemaEventHandler.NAME_PROPERTY, "early", SchemaEventHandler.KINDS_PROPERTY, "GROUP", "service.id", 7L));
        // DS activates whenever it gets to it: a slow activation gives the whiteboard thread a head start.
        Thread.sleep(300);
        StorageDataRoot dataRoot = new StorageDataRoot();
        dataRoot.activate(annotation(StorageDataRoot.Config.class, Map.of("dataRoot", tmp.getRoot().toString())));
        var dataRootField = EmbeddedRegistryComponent.class.getDeclaredField("dataRoot");
        dataRootField.setAccessible(true);
        dataRootField.set(component, dataRoot);
        component.activate(null, annotation(EmbeddedRegistryComponent.Config.class, Map.of("onInitTimeoutSeconds", 1)));
        Await.until("handler registered", Duration.ofSeconds(10), () -> heard.contains("init [GROUP]"));
        component.createGroup(dev.banyan.schema.SchemaFixture.group("g1"));
        assertEquals(List.of("init [GROUP]", "ADD group g1"), heard);
        assertEquals("no fail-fast", List.of(), fatal);
        component.deactivate();
    }

    /** A component property type as DS hands it over: the given values, the defaults for the rest. */
    private static <A extends Annotation> A annotation(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getName().equals("annotationType") ? type
                        : values.getOrDefault(method.getName(), method.getDefaultValue())));
    }
}
