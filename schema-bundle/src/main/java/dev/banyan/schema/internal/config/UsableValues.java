package dev.banyan.schema.internal.config;

import java.nio.file.Path;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import dev.banyan.schema.api.Names;
import dev.banyan.schema.internal.osgi.StorageDataRoot;
import dev.banyan.schema.internal.registry.AtomicFile;

/**
 * [R11] What a metatype cannot say: a value of the right type that the component would still fail
 * to use (a data root it cannot create or write, a JAAS realm that does not exist). Each is refused
 * like any bad value instead of leaving a component that activated half-alive.
 */
final class UsableValues {

    /** Why a value is refused and what would be accepted instead. */
    record Refusal(String why, String allowed) {
    }

    static final String REALM_PID = "dev.banyan.http";
    static final String REALM_PROPERTY = "realm";

    private UsableValues() {
    }

    /** Null if {@code text} (already of the right type) is usable as {@code pid}'s {@code property}. */
    static Refusal refusal(String pid, String property, String text) {
        if (text.isEmpty()) {
            return null; // the default, which the component resolves itself
        }
        return switch (pid + "/" + property) {
            case "dev.banyan.storage/dataRoot" -> writableDirectory(StorageDataRoot.resolve(text));
            case "dev.banyan.schema.registry/directory" -> writableDirectory(Path.of(text).toAbsolutePath().normalize());
            case REALM_PID + "/" + REALM_PROPERTY -> jaasRealm(text);
            case "dev.banyan.http/group", "dev.banyan.promql/group" -> groupName(text);
            default -> null;
        };
    }

    /** A name a group can have ({@link Names#VALID}): one that no write could create would never be found. */
    private static Refusal groupName(String name) {
        return Names.VALID.matcher(name).matches() ? null
                : new Refusal("not a group name", "a group name: 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }

    /** The directory as the engine and the registry write it: {@link AtomicFile#cannotWrite}. */
    private static Refusal writableDirectory(Path dir) {
        String problem = AtomicFile.cannotWrite(dir);
        return problem == null ? null : new Refusal(problem, "a directory this server can create and write");
    }

    /**
     * A realm the JVM's JAAS configuration knows (in Karaf: a registered {@code JaasRealm}). Where
     * no JAAS configuration can answer at all (a plain OSGi framework), nothing is refused.
     */
    private static Refusal jaasRealm(String realm) {
        AppConfigurationEntry[] entries;
        try {
            entries = Configuration.getConfiguration().getAppConfigurationEntry(realm);
        } catch (RuntimeException noJaas) {
            return null;
        }
        return entries != null && entries.length > 0 ? null
                : new Refusal("no JAAS realm " + realm + " is registered", "the name of a registered JAAS realm, such as karaf "
                        + "(jaas:realm-list lists them)");
    }
}
