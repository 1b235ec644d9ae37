package io.infershield.token.rest;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Names the caller in events the way the architecture asks: its Keycloak {@code preferred_username}. */
final class Callers {

    private Callers() {
    }

    static String actor(SecurityIdentity identity) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String username = jwt.getClaim("preferred_username");
            if (username != null && !username.isBlank()) {
                return username;
            }
            if (jwt.getSubject() != null) {
                return jwt.getSubject();
            }
        }
        return identity.getPrincipal().getName();
    }
}
