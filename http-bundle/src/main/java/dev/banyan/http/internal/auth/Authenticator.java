package dev.banyan.http.internal.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import dev.banyan.http.internal.Settings;

/**
 * Finds who sends a request, from the first credentials present:
 * <ol>
 * <li>{@code Authorization: Basic <base64 user:password>}: checked against the JAAS realm; the
 * user needs one of the configured roles;</li>
 * <li>{@code Authorization: Bearer <token>} or {@code Authorization: Token <token>} (InfluxDB 2):
 * the token's SHA-256 must equal a configured one (compared in constant time);</li>
 * <li>query parameters {@code u} and {@code p} (InfluxDB 1): a user and password as for Basic, or
 * {@code p} alone as a token.</li>
 * </ol>
 * A successful Basic login is remembered for the configured time, keyed by a SHA-256 of realm, user
 * and password (the password itself is never kept), so the realm is not asked on every request.
 */
public final class Authenticator {

    /** Who was authenticated, and how ({@code BASIC} or {@code BEARER}). */
    public record Principal(String name, String scheme) {
    }

    /** The request carried no usable credentials, or wrong ones; the message says which (never the secret). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private static final int CACHE_LIMIT = 10_000;

    private final PasswordRealm realm;
    private final LongSupplier clock;
    private final Map<String, Long> logins = new ConcurrentHashMap<>();

    public Authenticator(PasswordRealm realm, LongSupplier clockMillis) {
        this.realm = realm;
        this.clock = clockMillis;
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param user          the {@code u} query parameter, or null
     * @param password      the {@code p} query parameter, or null
     * @throws Refused                if there are no credentials or they are wrong
     * @throws IllegalStateException  if the realm cannot be asked
     */
    public Principal authenticate(Settings settings, String authorization, String user, String password) throws Refused {
        if (authorization != null && !authorization.isBlank()) {
            String header = authorization.strip();
            int space = header.indexOf(' ');
            String scheme = space < 0 ? header : header.substring(0, space);
            String value = space < 0 ? "" : header.substring(space + 1).strip();
            if (scheme.equalsIgnoreCase("Basic")) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new Refused("Authorization: Basic credentials are not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    throw new Refused("Authorization: Basic credentials are not user:password");
                }
                return basic(settings, decoded.substring(0, colon), decoded.substring(colon + 1));
            }
            if (scheme.equalsIgnoreCase("Bearer") || scheme.equalsIgnoreCase("Token")) {
                return token(settings, value);
            }
            throw new Refused("Authorization scheme " + scheme + " is not supported: use Basic, Bearer or Token");
        }
        if (user != null && !user.isEmpty()) {
            return basic(settings, user, password == null ? "" : password);
        }
        if (password != null && !password.isEmpty()) {
            return token(settings, password);
        }
        throw new Refused("authentication required: HTTP Basic (a user of JAAS realm " + settings.realm()
                + ") or a bearer token");
    }

    private Principal basic(Settings settings, String user, String password) throws Refused {
        String key = HexFormat.of().formatHex(sha256(settings.realm() + '\0' + user + '\0' + password + '\0' + settings.roles()));
        long now = clock.getAsLong();
        Long until = logins.get(key);
        if (until != null && until > now) {
            return new Principal(user, "BASIC");
        }
        Set<String> roles = realm.login(settings.realm(), user, password);
        if (roles == null) {
            throw new Refused("user " + user + " or its password is not known to JAAS realm " + settings.realm());
        }
        if (roles.stream().noneMatch(settings.roles()::contains)) {
            throw new Refused("user " + user + " has none of the roles " + settings.roles());
        }
        if (settings.credentialCacheMs() > 0) {
            if (logins.size() >= CACHE_LIMIT) {
                logins.clear();
            }
            logins.put(key, now + settings.credentialCacheMs());
        }
        return new Principal(user, "BASIC");
    }

    private static Principal token(Settings settings, String token) throws Refused {
        byte[] hash = sha256(token);
        for (Settings.BearerToken accepted : settings.tokens()) {
            if (MessageDigest.isEqual(hash, accepted.sha256())) {
                return new Principal(accepted.name(), "BEARER");
            }
        }
        throw new Refused("the bearer token is not one of the configured tokens");
    }

    /** The SHA-256 of {@code text}'s UTF-8 bytes. */
    public static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
