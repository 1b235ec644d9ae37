package io.infershield.token.rest;

import io.infershield.events.TokenEvent;
import io.infershield.token.entity.OrgKey;
import io.infershield.token.entity.ProviderLink;
import io.infershield.token.service.Access;
import io.infershield.token.service.Credential;
import io.infershield.token.service.CredentialService;
import io.infershield.token.service.LinkMetadata;
import io.infershield.token.service.LinkService;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The internal API (docs/architecture.md, "token-service internal API"). Callers authenticate with Keycloak access
 * tokens from the client-credentials grant: auth-service ({@code token-custodian}) keeps links, proxy-service
 * ({@code token-consumer}) reads credentials. Every path names the tenant and the user; nothing here ever reaches
 * another user's token.
 */
@Path("/internal/v1/tenants/{tenant}/users/{user}")
@Produces(MediaType.APPLICATION_JSON)
public class InternalLinkResource {

    /** Why the proxy reads a credential, recorded in token-events. */
    public static final String PURPOSE = "X-InferShield-Purpose";
    static final String CUSTODIAN = "token-custodian";
    static final String CONSUMER = "token-consumer";

    private final LinkService links;
    private final CredentialService credentials;
    private final SecurityIdentity identity;

    InternalLinkResource(LinkService links, CredentialService credentials, SecurityIdentity identity) {
        this.links = links;
        this.credentials = credentials;
        this.identity = identity;
    }

    /** Stores the user's link to the provider, replacing an earlier one. */
    @PUT
    @Path("/links/{provider}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(CUSTODIAN)
    public Uni<LinkMetadata> putLink(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
                                     @PathParam("user") @Pattern(regexp = ProviderLink.SUBJECT_PATTERN) String user,
                                     @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider,
                                     @NotNull(message = "a JSON body with accessToken is required") @Valid LinkBody body) {
        return links.store(access(tenant, user, provider, "link"), body.toRequest());
    }

    /** The user's links: metadata, never a token. */
    @GET
    @Path("/links")
    @RolesAllowed(CUSTODIAN)
    public Uni<LinkList> listLinks(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
                                   @PathParam("user") @Pattern(regexp = ProviderLink.SUBJECT_PATTERN) String user) {
        return links.list(tenant, user).map(LinkList::new);
    }

    /** Revokes the link upstream where the provider allows it (RFC 7009) and deletes it. */
    @DELETE
    @Path("/links/{provider}")
    @RolesAllowed(CUSTODIAN)
    public Uni<Void> deleteLink(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
                                @PathParam("user") @Pattern(regexp = ProviderLink.SUBJECT_PATTERN) String user,
                                @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider) {
        return links.delete(access(tenant, user, provider, "unlink"));
    }

    /**
     * Revokes every link of the user, upstream where the provider allows it (RFC 7009), and deletes them: what
     * auth-service asks when an administrator disables the user. Idempotent: a user without links answers 0. The
     * optional {@value #PURPOSE} header names why, in the {@code token.revoked} events (default {@code unlink}).
     */
    @DELETE
    @Path("/links")
    @RolesAllowed(CUSTODIAN)
    public Uni<RevokedLinks> deleteLinks(@PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
            @PathParam("user") @Pattern(regexp = ProviderLink.SUBJECT_PATTERN) String user,
            @HeaderParam(PURPOSE) @DefaultValue("unlink") @Pattern(regexp = "[a-z0-9-]{1,32}") String purpose) {
        return links.deleteAll(tenant, user, Callers.actor(identity), purpose).map(RevokedLinks::new);
    }

    /** The credential a request of this user may use: the user's own link first, then the tenant's org key. */
    @GET
    @Path("/credentials/{provider}")
    @RolesAllowed(CONSUMER)
    public Uni<RestResponse<Credential>> credential(
            @PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
            @PathParam("user") @Pattern(regexp = ProviderLink.SUBJECT_PATTERN) String user,
            @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider,
            @HeaderParam(PURPOSE) @DefaultValue("proxy-request") @Pattern(regexp = "[a-z0-9-]{1,32}") String purpose) {
        return credentials.credential(access(tenant, user, provider, purpose)).map(InternalLinkResource::noStore);
    }

    /** The upstream answered 401 to {@code rejectedVersion}: refresh once, then answer like {@link #credential}. */
    @POST
    @Path("/credentials/{provider}/refresh")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(CONSUMER)
    public Uni<RestResponse<Credential>> refresh(
            @PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
            @PathParam("user") @Pattern(regexp = ProviderLink.SUBJECT_PATTERN) String user,
            @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider,
            @HeaderParam(PURPOSE) @DefaultValue("proxy-request") @Pattern(regexp = "[a-z0-9-]{1,32}") String purpose,
            @NotNull(message = "a JSON body with rejectedVersion is required") @Valid RefreshBody body) {
        return credentials.refreshRejected(access(tenant, user, provider, purpose), body.rejectedVersion())
                .map(InternalLinkResource::noStore);
    }

    private Access access(String tenant, String user, String provider, String purpose) {
        return new Access(tenant, user, provider, TokenEvent.USER_TOKEN, Callers.actor(identity), purpose);
    }

    /** RFC 9111 §5.2.2.5: no cache may store a response that carries a secret. */
    private static RestResponse<Credential> noStore(Credential credential) {
        return RestResponse.ResponseBuilder.ok(credential).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
