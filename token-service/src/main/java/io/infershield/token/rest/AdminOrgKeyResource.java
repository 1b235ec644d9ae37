package io.infershield.token.rest;

import io.infershield.token.entity.OrgKey;
import io.infershield.token.service.OrgKeyService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** Tenant administrators manage org keys here, signed in through Keycloak with the realm role {@code admin}. */
@Path("/admin/v1/tenants/{tenant}/org-keys")
@RolesAllowed("admin")
public class AdminOrgKeyResource {

    private final OrgKeyService orgKeys;
    private final SecurityIdentity identity;

    AdminOrgKeyResource(OrgKeyService orgKeys, SecurityIdentity identity) {
        this.orgKeys = orgKeys;
        this.identity = identity;
    }

    /** Stores or replaces the tenant's key for the provider. */
    @PUT
    @Path("/{provider}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Void> put(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
                         @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider,
                         @NotNull(message = "a JSON body with apiKey is required") @Valid OrgKeyRequest body) {
        return orgKeys.store(OrgKeyService.access(tenant, provider, Callers.actor(identity), "admin"), body.apiKey());
    }

    /** The tenant's keys, by provider, without the keys themselves. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<OrgKeyMetadata>> list(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant) {
        return orgKeys.list(tenant).map(keys -> keys.stream().map(OrgKeyMetadata::of).toList());
    }

    /** Removes the tenant's key for the provider; 404 if there is none. */
    @DELETE
    @Path("/{provider}")
    public Uni<Void> delete(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
                            @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider) {
        return orgKeys.delete(OrgKeyService.access(tenant, provider, Callers.actor(identity), "admin"));
    }
}
