package io.infershield.auth.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.service.ClientRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Set;

/** Authorization server metadata (RFC 8414 §3), so clients find the device endpoint without configuration. */
@Path("/.well-known/oauth-authorization-server")
public class DiscoveryResource {

    private final AuthConfig config;
    private final ClientRegistry clients;

    DiscoveryResource(AuthConfig config, ClientRegistry clients) {
        this.config = config;
        this.clients = clients;
    }

    /** RFC 8414 §2 metadata, with the device endpoint from RFC 8628 §4. */
    public record Metadata(
            @JsonProperty("issuer") String issuer,
            @JsonProperty("device_authorization_endpoint") String deviceAuthorizationEndpoint,
            @JsonProperty("token_endpoint") String tokenEndpoint,
            @JsonProperty("introspection_endpoint") String introspectionEndpoint,
            @JsonProperty("revocation_endpoint") String revocationEndpoint,
            @JsonProperty("grant_types_supported") List<String> grantTypesSupported,
            @JsonProperty("token_endpoint_auth_methods_supported") List<String> tokenEndpointAuthMethodsSupported,
            @JsonProperty("introspection_endpoint_auth_methods_supported") List<String> introspectionEndpointAuthMethodsSupported,
            @JsonProperty("response_types_supported") List<String> responseTypesSupported,
            @JsonProperty("scopes_supported") Set<String> scopesSupported) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Metadata metadata() {
        String base = config.publicUrl();
        return new Metadata(base,
                base + "/oauth/device_authorization",
                base + "/oauth/token",
                base + "/oauth/introspect",
                base + "/oauth/revoke",
                List.of(ClientRegistry.DEVICE_CODE_GRANT, ClientRegistry.REFRESH_TOKEN_GRANT),
                // device clients are public (RFC 8628 §3.1), so they do not authenticate
                List.of("none"),
                List.of("client_secret_basic"),
                // no authorization endpoint, so no response types
                List.of(),
                clients.supportedScopes());
    }
}
