package io.infershield.token.rest;

import io.infershield.token.entity.OrgKey;
import io.infershield.token.service.InternalCallerAuthenticator;
import io.infershield.token.service.OrgKeySecret;
import io.infershield.token.service.OrgKeyService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/** Releases a tenant's org key to proxy-service, which forwards a user's request upstream with it. */
@Path("/internal/v1/tenants/{tenant}/org-keys/{provider}")
@InternalCaller
public class InternalOrgKeyResource {

    /** The user the proxy acts for, recorded with every release. */
    public static final String ON_BEHALF_OF = "X-InferShield-On-Behalf-Of";

    private final OrgKeyService orgKeys;
    private final InternalCallerAuthenticator callers;

    InternalOrgKeyResource(OrgKeyService orgKeys, InternalCallerAuthenticator callers) {
        this.orgKeys = orgKeys;
        this.callers = callers;
    }

    /** The decrypted key; never cached by anything between here and the proxy. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<OrgKeySecret>> get(
            @PathParam("tenant") @Pattern(regexp = OrgKey.TENANT_PATTERN) String tenant,
            @PathParam("provider") @Pattern(regexp = OrgKey.PROVIDER_PATTERN) String provider,
            @HeaderParam(ON_BEHALF_OF) String onBehalfOf) {
        if (onBehalfOf == null || onBehalfOf.isBlank() || onBehalfOf.length() > 256) {
            throw new InvalidRequestException("Header " + ON_BEHALF_OF + " must name the user, in at most 256 characters");
        }
        return orgKeys.reveal(tenant, provider, callers.clientId(), onBehalfOf)
                .map(secret -> RestResponse.ResponseBuilder.ok(secret)
                        // RFC 9111 §5.2.2.5: no cache may store a response that carries a secret
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .build());
    }
}
