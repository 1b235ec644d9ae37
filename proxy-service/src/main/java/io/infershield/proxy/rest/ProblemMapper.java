package io.infershield.proxy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.infershield.proxy.service.InvalidPolicyException;
import io.infershield.proxy.service.PolicyConflictException;
import io.infershield.proxy.service.PolicyNotFoundException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one exception table of the JAX-RS side (the admin API): every failure becomes an RFC 9457 problem. The
 * provider-compatible {@code /v1} surface is not JAX-RS and answers in its provider's shape through {@link ApiErrors}.
 * Details are written here or by this service's own exceptions: never an exception's class, a stack trace, or
 * parser text that could echo the request body.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public RestResponse<Problem> invalid(InvalidPolicyException e) {
        return problem(Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(PolicyNotFoundException e) {
        return problem(Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> conflict(PolicyConflictException e) {
        return problem(Status.CONFLICT, e.getMessage());
    }

    // MismatchedInputException is named too: Quarkus REST has a built-in mapper for it that answers without a body.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public RestResponse<Problem> malformedJson(JsonProcessingException e) {
        return problem(Status.BAD_REQUEST, "The request body is not the JSON this endpoint takes");
    }

    /** RFC 6750 §3: a 401 for a missing or rejected bearer token carries the Bearer challenge. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthorized(RuntimeException e) {
        return RestResponse.ResponseBuilder.create(Status.UNAUTHORIZED,
                        Problem.of(Status.UNAUTHORIZED, "A valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"infershield-proxy\"")
                .type(Problem.MEDIA_TYPE)
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<Problem> forbidden(ForbiddenException e) {
        return problem(Status.FORBIDDEN, "The token lacks the role this endpoint requires");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unsupportedMediaType(NotSupportedException e) {
        return problem(Status.UNSUPPORTED_MEDIA_TYPE, "The request body must be application/json");
    }

    /** Routing and protocol errors raised by Quarkus REST: their status stands, their message is replaced. */
    @ServerExceptionMapper
    public RestResponse<Problem> http(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            LOG.error("Request failed", e);
        }
        return problem(status, switch (status.getStatusCode()) {
            case 404 -> "No resource at this path";
            case 405 -> "This resource does not support the method";
            case 406 -> "This resource cannot answer in an accepted media type";
            default -> status.getReasonPhrase();
        });
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Exception e) {
        LOG.error("Request failed", e);
        return problem(Status.INTERNAL_SERVER_ERROR, "The request could not be completed");
    }

    private static RestResponse<Problem> problem(Response.StatusType status, String detail) {
        return RestResponse.ResponseBuilder.create(status, Problem.of(status, detail)).type(Problem.MEDIA_TYPE).build();
    }
}
