package io.infershield.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.infershield.auth.client.TokenVault;
import io.infershield.auth.link.ProviderRefused;
import io.infershield.auth.service.InvalidAdminRequest;
import io.infershield.auth.service.InvalidPersonalKey;
import io.infershield.auth.service.LinkRevocationPending;
import io.infershield.auth.service.OAuthError;
import io.infershield.auth.service.TooManyAttempts;
import io.infershield.auth.service.UnknownLink;
import io.infershield.auth.service.UserDisabled;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one table from failures to responses. OAuth endpoints answer {@code {"error", "error_description"}}
 * (RFC 6749 §5.2); everything else answers {@code application/problem+json} (RFC 9457). No response names an
 * exception or carries a stack trace.
 */
@Singleton
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    private static final MediaType PROBLEM_JSON = new MediaType("application", "problem+json");
    /** When to ask again after token-service was unavailable to a disable. */
    private static final String RETRY_AFTER_SECONDS = "30";

    /** RFC 6749 §5.2 error response. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OAuthErrorBody(@JsonProperty("error") String error,
                                 @JsonProperty("error_description") String description) {
    }

    /**
     * RFC 9457 problem details; {@code error} is an extension member (§3.2) carrying an upstream provider's error
     * code, and is left out when there is none.
     */
    public record Problem(String type, String title, int status, String detail,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    }

    @ServerExceptionMapper
    public Response oauthError(OAuthError error, UriInfo uri) {
        Response.ResponseBuilder response;
        if (uri.getPath().startsWith(LinkResource.PATH)) {
            // the link API is a management API: its refusals are problems too, with the RFC 6750 §3 challenge
            response = Response.fromResponse(problem(error.status(), reasonPhrase(error.status()), error.description()));
        } else {
            response = Response.status(error.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new OAuthErrorBody(error.error(), error.description()));
        }
        if (error.challenge() != null) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, error.challenge());
        }
        return response.build();
    }

    /** A personal key request with a bad name or lifetime; the message is written for the user. */
    @ServerExceptionMapper
    public Response invalidPersonalKey(InvalidPersonalKey refused) {
        return problem(400, "Bad Request", refused.getMessage());
    }

    /** An unconfigured provider, or a session or link the caller does not own: all alike, so nothing leaks. */
    @ServerExceptionMapper
    public Response unknownLink(UnknownLink unknown) {
        return problem(404, "Not Found", unknown.getMessage());
    }

    /** RFC 9110 §15.6.3: the upstream provider refused to start a device flow; its error code goes along. */
    @ServerExceptionMapper
    public Response providerRefused(ProviderRefused refused) {
        return Response.status(502).type(PROBLEM_JSON).entity(new Problem("about:blank", "Bad Gateway", 502,
                "The provider did not start the sign-in: " + refused.error() + ".", refused.error())).build();
    }

    /** token-service, which holds the links, cannot answer: the caller may retry. */
    @ServerExceptionMapper
    public Response tokenServiceUnavailable(TokenVault.Unavailable unavailable) {
        return problem(503, "Service Unavailable", "The link store cannot be reached; try again shortly.");
    }

    /**
     * A disabled user asked for something new: a page in the browser (verification and account pages), elsewhere a
     * 403 problem with the code {@code user_disabled}, which the CLI shows.
     */
    @ServerExceptionMapper
    public Response userDisabled(UserDisabled disabled, UriInfo uri) {
        String path = uri.getPath();
        if (path.startsWith("/device") || path.startsWith("/account")) {
            return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_HTML_TYPE)
                    .entity(DeviceResource.Templates.disabled().render()).build();
        }
        return Response.status(403).type(PROBLEM_JSON).entity(new Problem("about:blank", "Forbidden", 403,
                disabled.getMessage(), UserDisabled.CODE)).build();
    }

    /** An admin API request that cannot be served as sent; the message names what is wrong. */
    @ServerExceptionMapper
    public Response invalidAdminRequest(InvalidAdminRequest invalid) {
        return problem(400, "Bad Request", invalid.getMessage());
    }

    /**
     * RFC 9457 problem of a disable whose link revocation is owed: the disable took effect in auth-service, and the
     * extension members say what it did, so that the caller sees the state and may repeat the call safely.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PendingProblem(String type, String title, int status, String detail, String error, String subject,
                                 boolean disabled, String disabledAt, int credentialsRevoked, Integer linksRevoked) {
    }

    /** RFC 9110 §15.6.4: token-service did not confirm the link revocation; it is owed and retried (Retry-After). */
    @ServerExceptionMapper
    public Response linkRevocationPending(LinkRevocationPending pending) {
        var state = pending.state();
        return Response.status(503).type(PROBLEM_JSON).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .entity(new PendingProblem("about:blank", "Service Unavailable", 503, pending.getMessage(),
                        LinkRevocationPending.CODE, state.subject(), true, state.disabledAt().toString(),
                        state.credentialsRevoked(), null))
                .build();
    }

    /** RFC 8628 §5.1: a key that used up its failed code entries gets a page, not a code check. */
    @ServerExceptionMapper
    public Response tooManyAttempts(TooManyAttempts blocked) {
        return Response.status(Response.Status.TOO_MANY_REQUESTS).type(MediaType.TEXT_HTML_TYPE)
                .entity(DeviceResource.Templates.tooManyAttempts().render()).build();
    }

    /** RFC 6750 §3: a call to the admin API without a bearer token. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException denied) {
        return Response.fromResponse(problem(401, "Unauthorized", "A bearer token is required."))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** RFC 6750 §3.1 insufficient_scope: a valid token without the role the call needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException denied) {
        return problem(403, "Forbidden", "The token does not grant this operation.");
    }

    /**
     * RFC 6750 §3.1 invalid_token: proactive authentication refuses a bad bearer token before any resource or
     * exception mapper runs, so the admin API's problem shape is given here, on the route.
     */
    void adminAuthenticationFailures(@Observes Router router) {
        router.route(AdminResource.PATH + "/*").order(-1).failureHandler(context -> {
            if (context.failure() instanceof AuthenticationFailedException) {
                context.response().setStatusCode(401)
                        .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON.toString())
                        .putHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                        .end(Json.encode(new Problem("about:blank", "Unauthorized", 401,
                                "The bearer token is not valid.", null)));
            } else {
                context.next();
            }
        });
    }

    /** Framework rejections (404, 405, unreadable bodies) keep their status and take the shape of their endpoint. */
    @ServerExceptionMapper
    public Response webApplicationError(WebApplicationException error, UriInfo uri) {
        int status = error.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(error, uri);
        }
        String title = reasonPhrase(status);
        if (OAuthFilters.isOAuthPath(uri.getPath())) {
            return oauthError(OAuthError.invalidRequest(title + "."), status);
        }
        return problem(status, title, "The request cannot be served as sent.");
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable error, UriInfo uri) {
        LOG.errorf(error, "Unexpected failure serving %s", uri.getPath());
        if (OAuthFilters.isOAuthPath(uri.getPath())) {
            return oauthError(new OAuthErrorBody("server_error", "The server could not complete the request."), 500);
        }
        return problem(500, "Internal Server Error", "The server could not complete the request.");
    }

    private Response oauthError(OAuthError error, int status) {
        return oauthError(new OAuthErrorBody(error.error(), error.description()), status);
    }

    private static Response oauthError(OAuthErrorBody body, int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }

    private static Response problem(int status, String title, String detail) {
        return Response.status(status).type(PROBLEM_JSON).entity(new Problem("about:blank", title, status, detail, null))
                .build();
    }

    private static String reasonPhrase(int status) {
        Response.StatusType reason = Response.Status.fromStatusCode(status);
        return reason == null ? "Request rejected" : reason.getReasonPhrase();
    }
}
