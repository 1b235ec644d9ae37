package io.infershield.proxy.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

@RegisterRestClient(configKey = "token-service")
@Path("/internal/v1/tenants/{tenant}")
interface TokenServiceApi {

    @GET
    @Path("/org-keys/{provider}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<RestResponse<OrgKey>> orgKey(@HeaderParam("Authorization") String authorization,
            @HeaderParam("X-InferShield-On-Behalf-Of") String onBehalfOf,
            @PathParam("tenant") String tenant, @PathParam("provider") String provider);

    record OrgKey(String provider, String apiKey, String keyVersion) {
    }
}
