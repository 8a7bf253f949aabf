package dev.banyan.http.internal.auth;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import dev.banyan.http.internal.Settings;

/** Who sends a request: Basic against the realm (with roles and a cache), bearer tokens by hash, InfluxDB's u/p. */
public class AuthenticatorTest {

    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000);
    /** A realm with two users: alice (admin) and victor (viewer). */
    private final PasswordRealm realm = (name, user, password) -> {
        logins.incrementAndGet();
        Map<String, String> passwords = Map.of("alice", "a-pass", "victor", "v-pass");
        if (!"karaf".equals(name) || !password.equals(passwords.get(user))) {
            return null;
        }
        return user.equals("alice") ? Set.of("admin", "manager") : Set.of("viewer");
    };
    private final Authenticator authenticator = new Authenticator(realm, now::get);
    private final Settings settings = Settings.of(dev.banyan.http.internal.SettingsTest.config(Map.of(
            "bearerTokens", "prom:sha256:" + HexFormat.of().formatHex(Authenticator.sha256("secret-token")))));

    @Test
    public void basicUsersNeedTheirPasswordAndARole() throws Exception {
        assertEquals(new Authenticator.Principal("alice", "BASIC"), authenticator.authenticate(settings, basic("alice", "a-pass"), null, null));
        refused(basic("alice", "wrong"), null, null, "user alice or its password is not known to JAAS realm karaf");
        refused(basic("victor", "v-pass"), null, null, "user victor has none of the roles [admin]");
        refused("Basic !!!", null, null, "Authorization: Basic credentials are not base64");
        refused("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes(StandardCharsets.UTF_8)), null, null,
                "not user:password");
    }

    @Test
    public void aSuccessfulLoginIsRememberedForTheConfiguredTimeOnly() throws Exception {
        authenticator.authenticate(settings, basic("alice", "a-pass"), null, null);
        authenticator.authenticate(settings, basic("alice", "a-pass"), null, null);
        assertEquals(1, logins.get());
        refused(basic("alice", "a-pass2"), null, null, "not known");
        assertEquals("a wrong password is never answered from the cache", 2, logins.get());
        now.addAndGet(60_001);
        authenticator.authenticate(settings, basic("alice", "a-pass"), null, null);
        assertEquals(3, logins.get());
    }

    @Test
    public void bearerTokensAreMatchedByTheirHash() throws Exception {
        assertEquals(new Authenticator.Principal("prom", "BEARER"), authenticator.authenticate(settings, "Bearer secret-token", null, null));
        assertEquals(new Authenticator.Principal("prom", "BEARER"), authenticator.authenticate(settings, "Token secret-token", null, null));
        refused("Bearer secret-token2", null, null, "the bearer token is not one of the configured tokens");
        refused("Digest x", null, null, "Authorization scheme Digest is not supported");
        assertEquals(0, logins.get());
    }

    @Test
    public void influxQueryParametersCarryAUserOrAToken() throws Exception {
        assertEquals("alice", authenticator.authenticate(settings, null, "alice", "a-pass").name());
        assertEquals("prom", authenticator.authenticate(settings, null, null, "secret-token").name());
        refused(null, "alice", "x", "not known");
        refused(null, null, null, "authentication required: HTTP Basic (a user of JAAS realm karaf) or a bearer token");
    }

    private void refused(String header, String user, String password, String message) {
        try {
            authenticator.authenticate(settings, header, user, password);
            fail("accepted");
        } catch (Authenticator.Refused e) {
            assertEquals(e.getMessage(), true, e.getMessage().contains(message));
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
