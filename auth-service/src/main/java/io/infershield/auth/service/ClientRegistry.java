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

    /** The device authorization grant type (RFC 8628 §3.4). */
    public static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** The refresh token grant type (RFC 6749 §6). */
    public static final String REFRESH_TOKEN_GRANT = "refresh_token";

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
     * Fails with invalid_client unless {@code clientId} is registered, and with unauthorized_client (RFC 6749 §5.2)
     * unless it may use {@code grantType}.
     */
    public void requireGrant(String clientId, String grantType) {
        requireKnown(clientId);
        if (!config.clients().get(clientId).grantTypes().contains(grantType)) {
            throw OAuthError.unauthorizedClient();
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
