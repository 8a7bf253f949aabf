package dev.banyan.http.internal.auth;

import java.util.Set;

/** Checks a user name and password against a named realm. */
public interface PasswordRealm {

    /**
     * @return the user's roles, or null if the realm refuses the credentials
     * @throws IllegalStateException if the realm cannot be asked (not configured, its backend down)
     */
    Set<String> login(String realm, String user, String password);
}
