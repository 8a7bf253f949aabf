package dev.banyan.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import dev.banyan.schema.api.IntervalRule;
import dev.banyan.schema.api.ResourceOpts;

/** A bad value of PID dev.banyan.http is refused naming the property, the value and what is allowed. */
public class SettingsTest {

    @Test
    public void defaultsAreTheDocumentedOnes() {
        Settings settings = Settings.of(config(Map.of()));
        assertEquals("prometheus", settings.group());
        assertEquals(new ResourceOpts(1, IntervalRule.days(1), IntervalRule.days(15)), settings.newGroupOptions());
        assertEquals(32L * 1024 * 1024, settings.maxRequestBytes());
        assertEquals(Set.of("/-/healthy", "/-/ready", "/ping"), settings.anonymousPaths());
        assertEquals(Set.of("admin"), settings.roles());
        assertEquals(List.of(), settings.tokens());
    }

    @Test
    public void tokensAreReadAsNamedHashes() {
        Settings settings = Settings.of(config(Map.of("bearerTokens", " prom:sha256:" + "ab".repeat(32) + " , telegraf:sha256:"
                + "CD".repeat(32))));
        assertEquals(List.of("prom", "telegraf"), settings.tokens().stream().map(Settings.BearerToken::name).toList());
        assertEquals((byte) 0xcd, settings.tokens().get(1).sha256()[0]);
    }

    @Test
    public void everyBadValueIsNamed() {
        expect("group", "../x", "a group name");
        expect("newGroupShards", 0, "a positive number of shards");
        expect("newGroupSegmentInterval", "1w", "<n>h or <n>d");
        expect("newGroupTtl", "0d", "<n>h or <n>d");
        expect("maxRequestBytes", 10L, "bytes from 1024 to");
        expect("maxReadSamples", 0L, "a positive number of samples");
        expect("realm", " ", "the name of a JAAS realm");
        expect("roles", ",", "one or more role names");
        expect("bearerTokens", "prom:" + "ab".repeat(32), "<name>:sha256:<64 hex digits>");
        expect("bearerTokens", "prom:sha256:abc", "<name>:sha256:<64 hex digits>");
        expect("anonymousPaths", "metrics", "request paths starting with '/'");
        expect("credentialCacheSeconds", -1, "0 or more seconds");
    }

    private static void expect(String property, Object value, String allowed) {
        try {
            Settings.of(config(Map.of(property, value)));
            fail(property + " = " + value);
        } catch (IllegalArgumentException e) {
            String prefix = "configuration dev.banyan.http: property " + property + " = '";
            assertEquals(e.getMessage(), true, e.getMessage().startsWith(prefix) && e.getMessage().contains("allowed: " + allowed));
        }
    }

    /** The annotation DS would build from these properties, defaults elsewhere. */
    public static HttpConfig config(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(values);
        return (HttpConfig) java.lang.reflect.Proxy.newProxyInstance(HttpConfig.class.getClassLoader(), new Class<?>[] {HttpConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return HttpConfig.class;
                    }
                    return all.containsKey(method.getName()) ? all.get(method.getName()) : method.getDefaultValue();
                });
    }

}
