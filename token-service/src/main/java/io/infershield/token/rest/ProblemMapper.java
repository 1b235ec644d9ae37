package io.infershield.token.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.infershield.token.service.LinkBrokenException;
import io.infershield.token.service.NotFoundException;
import io.infershield.token.service.OrgKeyNotFoundException;
import io.infershield.token.service.ProviderUnavailableException;
import io.infershield.token.vault.CiphertextRejectedException;
import io.infershield.token.vault.VaultUnavailableException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The one table from exceptions to RFC 9457 problems. Details are written here or by this service's own exceptions:
 * never an exception's class, a stack trace, or text from a parser that could echo the request body (and a key in it).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public RestResponse<Problem> notFound(OrgKeyNotFoundException e) {
        return problem(Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> invalidInput(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> field(v) + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(Status.BAD_REQUEST, detail);
    }

    // MismatchedInputException is named too: Quarkus REST has a built-in mapper for it that answers without a body.
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    public RestResponse<Problem> malformedJson(JsonProcessingException e) {
        return problem(Status.BAD_REQUEST, "The request body is not the JSON this endpoint takes");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> nothingThere(NotFoundException e) {
        return problem(e.problem(), Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> linkBroken(LinkBrokenException e) {
        return problem("link-broken", Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public RestResponse<Problem> providerUnavailable(ProviderUnavailableException e) {
        return problem("provider-unavailable", Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** Sealed, down, unreachable, or refusing by policy: the reason goes to the log, not to the caller. */
    @ServerExceptionMapper
    public RestResponse<Problem> vaultUnavailable(VaultUnavailableException e) {
        LOG.warnf("Request failed: the token vault is unavailable (%s)", e.reason());
        return problem("vault-unavailable", Status.SERVICE_UNAVAILABLE,
                "The token vault is unavailable; try again later");
    }

    /** RFC 6750 §3: a 401 for a missing or rejected bearer token carries the Bearer challenge. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public RestResponse<Problem> unauthorized(RuntimeException e) {
        return RestResponse.ResponseBuilder.create(Status.UNAUTHORIZED,
                        Problem.of(Status.UNAUTHORIZED, "A valid bearer token is required"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"infershield-token\"")
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

    /** Logged where it was detected, with the record it concerns; a token.*.tampered event reports it too. */
    @ServerExceptionMapper
    public RestResponse<Problem> undecryptable(CiphertextRejectedException e) {
        return problem("credential-undecryptable", Status.INTERNAL_SERVER_ERROR,
                "The stored credential cannot be decrypted");
    }

    @ServerExceptionMapper
    public RestResponse<Problem> unexpected(Exception e) {
        LOG.error("Request failed", e);
        return problem(Status.INTERNAL_SERVER_ERROR, "The request could not be completed");
    }

    private static RestResponse<Problem> problem(String name, Response.StatusType status, String detail) {
        return RestResponse.ResponseBuilder.create(status, Problem.of(name, status, detail)).type(Problem.MEDIA_TYPE)
                .build();
    }

    private static RestResponse<Problem> problem(Response.StatusType status, String detail) {
        return RestResponse.ResponseBuilder.create(status, Problem.of(status, detail)).type(Problem.MEDIA_TYPE).build();
    }

    /** The constrained parameter or field, without the method name Bean Validation puts in front. */
    private static String field(ConstraintViolation<?> violation) {
        return StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
                .reduce((first, last) -> last)
                .map(Path.Node::getName)
                .orElse("request");
    }
}
