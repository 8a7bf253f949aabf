package dev.banyan.http.internal.auth;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.osgi.service.component.annotations.Component;

/**
 * Karaf's JAAS realms ({@code karaf} by default: {@code etc/users.properties}, where the assembly's
 * {@code bin/setenv} creates the {@code banyan} user). Karaf hands the realm's roles back as
 * principals of type {@code org.apache.karaf.jaas.boot.principal.RolePrincipal}, the groups'
 * roles already expanded; they are recognised by class name so this bundle needs no Karaf import.
 */
@Component(service = PasswordRealm.class)
public final class JaasPasswordRealm implements PasswordRealm {

    @Override
    public Set<String> login(String realm, String user, String password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's login module through the context class loader.
        thread.setContextClassLoader(JaasPasswordRealm.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(realm, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback secret) {
                        secret.setPassword(password.toCharArray());
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            }, null);
            try {
                login.login();
            } catch (FailedLoginException e) {
                return null;
            }
            Set<String> roles = new LinkedHashSet<>();
            for (Principal principal : subject.getPrincipals()) {
                if (principal.getClass().getSimpleName().equals("RolePrincipal")) {
                    roles.add(principal.getName());
                }
            }
            login.logout();
            return roles;
        } catch (LoginException e) {
            // Not a refusal (that is FailedLoginException): the realm itself cannot answer.
            throw new IllegalStateException("JAAS realm " + realm + " cannot check credentials: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
