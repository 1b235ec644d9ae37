package io.infershield.auth.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.infershield.auth.service.InvalidPersonalKey;
import io.infershield.auth.service.OAuthError;
import io.infershield.auth.service.TooManyAttempts;
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

    /** RFC 6749 §5.2 error response. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OAuthErrorBody(@JsonProperty("error") String error,
                                 @JsonProperty("error_description") String description) {
    }

    /** RFC 9457 problem details. */
    public record Problem(String type, String title, int status, String detail) {
    }

    @ServerExceptionMapper
    public Response oauthError(OAuthError error) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuthErrorBody(error.error(), error.description()));
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
                                "The bearer token is not valid.")));
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
        Response.StatusType reason = Response.Status.fromStatusCode(status);
        String title = reason == null ? "Request rejected" : reason.getReasonPhrase();
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
        return Response.status(status).type(PROBLEM_JSON).entity(new Problem("about:blank", title, status, detail)).build();
    }
}
