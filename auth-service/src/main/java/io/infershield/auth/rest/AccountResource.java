package io.infershield.auth.rest;

import io.infershield.auth.entity.GatewayCredential;
import io.infershield.auth.service.AccountCredentials;
import io.infershield.auth.service.Groups;
import io.infershield.auth.service.InvalidPersonalKey;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * The account page: the signed-in user's own live credentials, personal keys for tools that only take a static API
 * key, and revocation. It shows credential ids only, never a secret, except a new key once on the page that created
 * it. Sign-in (OIDC) and the CSRF check on every POST happen before these methods run.
 */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
public class AccountResource {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final AccountCredentials account;

    @Inject
    @IdToken
    JsonWebToken idToken;

    /** Carries the user's realm roles, read from the access token (application.properties). */
    @Inject
    SecurityIdentity identity;

    AccountResource(AccountCredentials account) {
        this.account = account;
    }

    /** One credential as the page lists it. */
    public record Row(String id, String kind, String label, String issued, String expires) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(List<Row> credentials, String error, String keyName, String keyDays,
                                               long maxDays);

        static native TemplateInstance created(String key, String name, String expires);

        static native TemplateInstance notFound();
    }

    @GET
    public Uni<TemplateInstance> overview() {
        return page(null, null, Long.toString(account.defaultLifetimeDays()));
    }

    @POST
    @Path("/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> createKey(@RestForm("name") String name, @RestForm("days") String days) {
        String subject = signedInUser();
        List<String> groups = Groups.of(identity.getRoles());
        return Uni.createFrom().deferred(() -> account.createPersonalKey(subject, groups, name, days))
                .map(created -> Response.ok(Templates.created(created.key(), created.credential().name,
                                TIME.format(created.credential().expiresAt)))
                        // the page holds the only copy of the key: keep it out of every cache
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").build())
                .onFailure(InvalidPersonalKey.class).recoverWithUni(refused -> page(refused.getMessage(), name, days)
                        .map(form -> Response.status(Response.Status.BAD_REQUEST).entity(form).build()));
    }

    /** Answers See Other back to the list (RFC 9110 §15.4.4), or 404 for an id the user does not own. */
    @POST
    @Path("/credentials/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@RestPath String id) {
        String subject = signedInUser();
        UUID credentialId;
        try {
            credentialId = UUID.fromString(id);
        } catch (IllegalArgumentException notAnId) {
            return Uni.createFrom().item(notFound());
        }
        return account.revokeOwn(subject, credentialId).map(revoked -> revoked
                ? Response.seeOther(URI.create("/account")).build()
                : notFound());
    }

    private Uni<TemplateInstance> page(String error, String keyName, String keyDays) {
        return account.liveOf(signedInUser()).map(live -> Templates.account(
                live.stream().map(AccountResource::row).toList(), error, keyName, keyDays, account.maxLifetimeDays()));
    }

    private static Row row(GatewayCredential credential) {
        return switch (credential.kind) {
            case ACCESS -> row(credential, "Device access", credential.clientId);
            case REFRESH -> row(credential, "Device refresh", credential.clientId);
            case PERSONAL_KEY -> row(credential, "Personal key", credential.name);
        };
    }

    private static Row row(GatewayCredential credential, String kind, String label) {
        return new Row(credential.id.toString(), kind, label, format(credential.issuedAt), format(credential.expiresAt));
    }

    private static String format(Instant instant) {
        return TIME.format(instant);
    }

    private static Response notFound() {
        return Response.status(Response.Status.NOT_FOUND).entity(Templates.notFound()).build();
    }

    /** The account whose credentials the page shows: the one signed in to it. */
    private String signedInUser() {
        String username = idToken.getClaim(Claims.preferred_username.name());
        if (username == null || username.isBlank()) {
            throw new ForbiddenException();
        }
        return username;
    }
}
