package io.infershield.proxy.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

@RegisterRestClient(configKey = "auth-service")
@Path("/oauth")
interface AuthServiceApi {

    @POST
    @Path("/introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<IntrospectionResponse> introspect(@HeaderParam("Authorization") String authorization, @FormParam("token") String token);

    /**
     * The RFC 7662 §2.2 answer, reduced to what the gateway uses. {@code groups} is an extension member
     * (RFC 7662 §2.2 allows them): the caller's groups, for policy resolution; absent means none.
     */
    record IntrospectionResponse(boolean active, String sub, String tenant, String client_id, Long exp,
            java.util.List<String> groups) {
    }
}
