package io.infershield.auth.rest;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.DeviceFlowService.PendingRequest;
import io.infershield.auth.service.UserCodes;
import io.quarkus.oidc.IdToken;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
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

    private final DeviceFlowService deviceFlow;

    @Inject
    @IdToken
    JsonWebToken idToken;

    DeviceResource(DeviceFlowService deviceFlow) {
        this.deviceFlow = deviceFlow;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance code(String userCode, String error);

        static native TemplateInstance confirm(PendingRequest request, String requestedAt);

        static native TemplateInstance result(boolean approved);
    }

    @GET
    public TemplateInstance codeForm(@RestQuery("user_code") String userCode) {
        return Templates.code(userCode, null);
    }

    @POST
    @Path("/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> confirm(@RestForm("user_code") String userCode) {
        Optional<String> code = UserCodes.normalize(userCode);
        if (code.isEmpty()) {
            return Uni.createFrom().item(invalidCode(userCode));
        }
        return deviceFlow.findPending(code.get()).map(pending -> pending == null
                ? invalidCode(userCode)
                : Response.ok(Templates.confirm(pending, REQUEST_TIME.format(pending.requestedAt()))).build());
    }

    @POST
    @Path("/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> approve(@RestForm("user_code") String userCode) {
        return decide(userCode, true);
    }

    @POST
    @Path("/deny")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> deny(@RestForm("user_code") String userCode) {
        return decide(userCode, false);
    }

    private Uni<Response> decide(String userCode, boolean approve) {
        Optional<String> code = UserCodes.normalize(userCode);
        if (code.isEmpty()) {
            return Uni.createFrom().item(invalidCode(userCode));
        }
        return deviceFlow.decide(code.get(), approve, signedInUser()).map(decided -> decided
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
