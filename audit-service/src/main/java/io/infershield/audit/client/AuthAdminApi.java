package io.infershield.audit.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestPath;

import java.util.Map;

/** auth-service's user administration (docs/architecture.md), called with the signed-in administrator's bearer token. */
@RegisterRestClient(configKey = "auth-service")
@Path("/api/admin/users/{subject}")
@Produces(MediaType.APPLICATION_JSON)
interface AuthAdminApi {

    @GET
    Uni<JsonNode> status(@HeaderParam("Authorization") String bearer, @RestPath String subject);

    @POST
    @Path("/disable")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<JsonNode> disable(@HeaderParam("Authorization") String bearer, @RestPath String subject, Map<String, String> body);

    @POST
    @Path("/enable")
    Uni<JsonNode> enable(@HeaderParam("Authorization") String bearer, @RestPath String subject);
}
