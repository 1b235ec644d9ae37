package io.infershield.auth.rest;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.DisabledUsers;
import io.infershield.auth.service.FailedEntryLimiter;
import io.infershield.auth.service.Groups;
import io.infershield.auth.service.DeviceFlowService.PendingRequest;
import io.infershield.auth.service.UserCodes;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The verification page (RFC 8628 §3.3) for signed-in users: enter the code, check where the request came from,
 * then approve or deny it. The page never decides on its own, not even when the code arrives in the URL
 * (RFC 8628 §5.4). Sign-in (OIDC) and the CSRF check on every POST happen before these methods run.
 */
@Path("/device")
@Produces(MediaType.TEXT_HTML)
public class DeviceResource {

    /** One message for unknown, expired, used and denied codes alike, so the page reveals nothing (RFC 8628 §5.1). */
    static final String INVALID_CODE = "This code is not valid. Check it and try again, or start the sign-in again from your IDE.";
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The ID token claim naming the provider's sign-in session (OpenID Connect Front-Channel Logout 1.0 §3). */
    private static final String SESSION_ID_CLAIM = "sid";

    private final DeviceFlowService deviceFlow;
    private final FailedEntryLimiter limiter;
    private final DisabledUsers disabledUsers;

    @Inject
    @IdToken
    JsonWebToken idToken;

    /** Carries the user's realm roles, read from the access token (application.properties). */
    @Inject
    SecurityIdentity identity;

    DeviceResource(DeviceFlowService deviceFlow, FailedEntryLimiter limiter, DisabledUsers disabledUsers) {
        this.deviceFlow = deviceFlow;
        this.limiter = limiter;
        this.disabledUsers = disabledUsers;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance code(String userCode, String error);

        static native TemplateInstance confirm(PendingRequest request, String requestedAt);

        static native TemplateInstance result(boolean approved);

        static native TemplateInstance tooManyAttempts();

        static native TemplateInstance disabled();
    }

    @GET
    public TemplateInstance codeForm(@RestQuery("user_code") String userCode) {
        return Templates.code(userCode, null);
    }

    @POST
    @Path("/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> confirm(@RestForm("user_code") String userCode, HttpServerRequest request) {
        return enabledOnly(() -> limited(request, () -> {
            Optional<String> code = UserCodes.normalize(userCode);
            if (code.isEmpty()) {
                return Uni.createFrom().item(invalidCode(userCode));
            }
            return deviceFlow.claim(code.get(), signedInUser()).map(pending -> pending == null
                    ? invalidCode(userCode)
                    : Response.ok(Templates.confirm(pending, REQUEST_TIME.format(pending.requestedAt()))).build());
        }));
    }

    @POST
    @Path("/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> approve(@RestForm("user_code") String userCode, HttpServerRequest request) {
        return enabledOnly(() -> limited(request, () -> decide(userCode, true)));
    }

    @POST
    @Path("/deny")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> deny(@RestForm("user_code") String userCode, HttpServerRequest request) {
        return limited(request, () -> decide(userCode, false));
    }

    /**
     * A disabled user signed in through SSO all the same (Keycloak does not know about the disable) but gets nothing
     * here: a page that says so, before any code is looked at or counted as a failed entry.
     */
    private Uni<Response> enabledOnly(Supplier<Uni<Response>> entry) {
        return disabledUsers.isDisabled(signedInUser()).chain(disabled -> disabled
                ? Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).entity(Templates.disabled()).build())
                : entry.get());
    }

    /**
     * Every form that takes a code counts its failures (RFC 8628 §5.1): approve and deny too, since a guessed code
     * can be posted to them directly.
     */
    private Uni<Response> limited(HttpServerRequest request, Supplier<Uni<Response>> entry) {
        SocketAddress remote = request.remoteAddress();
        String account = signedInUser();
        FailedEntryLimiter.Keys who = new FailedEntryLimiter.Keys(account, remote == null ? null : remote.hostAddress(),
                idToken.getClaim(SESSION_ID_CLAIM));
        return limiter.attempt(who, entry, response -> response.getStatus() != Response.Status.OK.getStatusCode());
    }

    private Uni<Response> decide(String userCode, boolean approve) {
        Optional<String> code = UserCodes.normalize(userCode);
        if (code.isEmpty()) {
            return Uni.createFrom().item(invalidCode(userCode));
        }
        return deviceFlow.decide(code.get(), approve, signedInUser(), Groups.of(identity.getRoles()))
                .map(decided -> decided
                        ? Response.ok(Templates.result(approve)).build()
                        : invalidCode(userCode));
    }

    /** The user the grant is bound to (RFC 8628 §5.5): the account signed in to this page. */
    private String signedInUser() {
        String username = idToken.getClaim(Claims.preferred_username.name());
        if (username == null || username.isBlank()) {
            throw new ForbiddenException();
        }
        return username;
    }

    private static Response invalidCode(String typed) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Templates.code(typed, INVALID_CODE)).build();
    }
}
