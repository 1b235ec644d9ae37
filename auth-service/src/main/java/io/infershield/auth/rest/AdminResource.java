package io.infershield.auth.rest;

import io.infershield.auth.service.CredentialService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The admin API, for callers with a bearer token carrying the Keycloak realm role {@code admin}. Errors are
 * {@code application/problem+json} (RFC 9457).
 */
@Path(AdminResource.PATH)
@RolesAllowed(AdminResource.ADMIN_ROLE)
public class AdminResource {

    static final String PATH = "/api/admin";
    static final String ADMIN_ROLE = "admin";

    private final CredentialService credentials;

    AdminResource(CredentialService credentials) {
        this.credentials = credentials;
    }

    /** Revokes every credential of a user, for example when they leave or a device is lost; 204 even if none. */
    @DELETE
    @Path("/users/{subject}/credentials")
    public Uni<Response> revokeCredentials(@RestPath String subject) {
        return credentials.revokeAllOf(subject).replaceWith(Response.noContent().build());
    }
}
