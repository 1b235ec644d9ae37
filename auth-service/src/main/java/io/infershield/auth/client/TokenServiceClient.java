package io.infershield.auth.client;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/**
 * token-service's internal link API (docs/architecture.md), called with a Keycloak access token that the OIDC client
 * obtains by the client-credentials grant (role {@code token-custodian}).
 */
@RegisterRestClient(configKey = "token-service")
@OidcClientFilter
@Path("/internal/v1/tenants/{tenant}/users/{user}/links")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface TokenServiceClient {

    /** The body of a link store; it holds the upstream tokens, so it is never logged. */
    record NewLink(String accessToken, String refreshToken, Long expiresIn, List<String> scopes, String tokenType) {

        @Override
        public String toString() {
            return "NewLink[scopes=" + scopes + "]";
        }
    }

    record LinkList(List<TokenVault.LinkMetadata> links) {
    }

    /** How many links a revocation of all of a user's links revoked. */
    record RevokedLinks(int revoked) {
    }

    @PUT
    @Path("/{provider}")
    Uni<TokenVault.LinkMetadata> store(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @PathParam("provider") String provider, NewLink link);

    @GET
    Uni<LinkList> list(@PathParam("tenant") String tenant, @PathParam("user") String user);

    /** Revokes every link of the user; {@code purpose} goes into token-service's events. */
    @DELETE
    Uni<RevokedLinks> revokeAll(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @HeaderParam("X-InferShield-Purpose") String purpose);

    @DELETE
    @Path("/{provider}")
    Uni<Void> delete(@PathParam("tenant") String tenant, @PathParam("user") String user,
            @PathParam("provider") String provider);
}
