package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.auth.service.AccountCredentials;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;

/**
 * Personal keys for the CLI: {@code infershield ide} writes a long-lived key into IDE settings instead of the
 * one-hour access credential. The caller authenticates with a live access credential from the device flow
 * (RFC 6750 §2.1); neither a personal key nor a refresh token may create a key, so a leaked key cannot renew itself.
 * OIDC does not know these credentials: see {@link BearerAuthentication}.
 */
@Path(PersonalKeyResource.PATH)
public class PersonalKeyResource {

    static final String PATH = "/api/me";

    private final BearerAuthentication bearer;
    private final AccountCredentials account;

    PersonalKeyResource(BearerAuthentication bearer, AccountCredentials account) {
        this.bearer = bearer;
        this.account = account;
    }

    /** A key to create; {@code days} must be a JSON integer, as the page takes only whole days. */
    public record NewKey(String name, JsonNode days) {
    }

    /** A key just created: the only answer that ever carries its value. */
    public record CreatedKey(String id, String key, String name, String expiresAt) {
    }

    @POST
    @Path("/personal-keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@RestHeader(HttpHeaders.AUTHORIZATION) String authorization, NewKey request) {
        return bearer.authenticate(authorization).flatMap(owner -> {
            String name = request == null ? null : request.name();
            JsonNode days = request == null ? null : request.days();
            return account.createPersonalKey(owner.subject(), owner.groups(), name,
                    days != null && days.isIntegralNumber() ? days.asText() : null);
        }).map(created -> Response.status(Response.Status.CREATED)
                // the answer holds the only copy of the key: keep it out of every cache
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new CreatedKey(created.credential().id.toString(), created.key(), created.credential().name,
                        created.credential().expiresAt.toString()))
                .build());
    }
}
