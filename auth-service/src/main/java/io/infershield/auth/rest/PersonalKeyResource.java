package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.auth.service.AccountCredentials;
import io.infershield.auth.service.CredentialService;
import io.infershield.auth.service.OAuthError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestHeader;

import java.util.Locale;

/**
 * Personal keys for the CLI: {@code infershield ide} writes a long-lived key into IDE settings instead of the
 * one-hour access credential. The caller authenticates with a live access credential from the device flow
 * (RFC 6750 §2.1); neither a personal key nor a refresh token may create a key, so a leaked key cannot renew itself.
 * OIDC does not know these credentials, so the HTTP policy permits the path and this resource checks the token.
 */
@Path(PersonalKeyResource.PATH)
public class PersonalKeyResource {

    static final String PATH = "/api/me";

    private static final String BEARER = "bearer ";

    private final CredentialService credentials;
    private final AccountCredentials account;

    PersonalKeyResource(CredentialService credentials, AccountCredentials account) {
        this.credentials = credentials;
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
        String token = bearerToken(authorization);
        if (token == null) {
            return Uni.createFrom().failure(OAuthError.invalidToken(authorization != null));
        }
        return credentials.accessCredentialSubject(token).flatMap(subject -> {
            if (subject == null) {
                return Uni.createFrom().failure(OAuthError.invalidToken(true));
            }
            String name = request == null ? null : request.name();
            JsonNode days = request == null ? null : request.days();
            return account.createPersonalKey(subject, name,
                    days != null && days.isIntegralNumber() ? days.asText() : null);
        }).map(created -> Response.status(Response.Status.CREATED)
                // the answer holds the only copy of the key: keep it out of every cache
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(new CreatedKey(created.credential().id.toString(), created.key(), created.credential().name,
                        created.credential().expiresAt.toString()))
                .build());
    }

    /** The token of an {@code Authorization: Bearer} header (RFC 6750 §2.1; the scheme is case-insensitive). */
    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }
}
