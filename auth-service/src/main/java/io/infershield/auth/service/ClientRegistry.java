package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The registered public clients of the device flow and the scopes each may ask for. */
@ApplicationScoped
public class ClientRegistry {

    private final AuthConfig config;

    ClientRegistry(AuthConfig config) {
        this.config = config;
    }

    /** Fails with invalid_client (RFC 6749 §5.2) unless {@code clientId} is registered. */
    public void requireKnown(String clientId) {
        if (!config.clients().containsKey(clientId)) {
            throw OAuthError.invalidClient();
        }
    }

    /**
     * The scope to grant: the requested one when every token is allowed, or all allowed scopes when none is requested
     * (RFC 6749 §3.3). Fails with invalid_scope otherwise.
     */
    public String grantedScope(String clientId, String requested) {
        requireKnown(clientId);
        List<String> allowed = config.clients().get(clientId).scopes();
        if (requested == null) {
            return String.join(" ", allowed);
        }
        Set<String> tokens = new LinkedHashSet<>(List.of(requested.trim().split(" +")));
        if (!allowed.containsAll(tokens)) {
            throw OAuthError.invalidScope();
        }
        return String.join(" ", tokens);
    }

    /** Every scope some client may request, for discovery (RFC 8414 §2 scopes_supported). */
    public Set<String> supportedScopes() {
        Set<String> scopes = new TreeSet<>();
        config.clients().values().forEach(client -> scopes.addAll(client.scopes()));
        return scopes;
    }
}
