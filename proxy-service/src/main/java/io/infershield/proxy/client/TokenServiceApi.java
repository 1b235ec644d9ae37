package io.infershield.proxy.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.time.Instant;

/**
 * token-service's internal credential API (docs/architecture.md). Each call carries a Keycloak client-credentials token
 * of {@code infershield-proxy} (realm role {@code token-consumer}) and names the user it acts for.
 */
@RegisterRestClient(configKey = "token-service")
@OidcClientFilter
@Path("/internal/v1/tenants/{tenant}/users/{user}/credentials/{provider}")
interface TokenServiceApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Credential> credential(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @PathParam("provider") String provider, @HeaderParam("X-InferShield-Purpose") String purpose);

    @POST
    @Path("/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Credential> refresh(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @PathParam("provider") String provider, Rejected rejected);

    /** The upstream answered 401 to this version of the token. */
    record Rejected(long rejectedVersion) {
    }

    /**
     * @param source  {@code user} for the caller's own link, {@code org} for the tenant's org key
     * @param version names this token value, for {@link #refresh}
     * @param apiBase the base URL the token belongs to (Copilot's {@code endpoints.api}), or {@code null}
     */
    record Credential(String provider, String source, String token, long version, Instant expiresAt, String apiBase) {

        @Override
        public String toString() {
            return "Credential[provider=" + provider + ", source=" + source + ", version=" + version + "]";
        }
    }
}
