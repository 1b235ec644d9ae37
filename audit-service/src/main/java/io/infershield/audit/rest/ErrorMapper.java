package io.infershield.audit.rest;

import io.infershield.audit.client.UserAdmin;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one exception-to-response table of audit-service: every error is {@code application/problem+json} (RFC 9457).
 * Authentication challenges are left to Quarkus OIDC, which answers them with a redirect to sign in or a 401.
 */
public class ErrorMapper {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @ServerExceptionMapper
    public Response invalidParameter(InvalidParameterException e) {
        return problem(Response.Status.BAD_REQUEST.getStatusCode(), e.getMessage());
    }

    /** auth-service refused a user management action or could not be reached: nothing was changed. */
    @ServerExceptionMapper
    public Response userAdmin(UserAdmin.Unavailable e) {
        return problem(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(Response.Status.FORBIDDEN.getStatusCode(), "Your roles do not allow this request.");
    }

    /** 404, 405, 406 and the like, raised by the REST layer itself. Their messages are not shown: they name internals. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response response = e.getResponse();
        if (response.getStatus() < 400) {
            return response;
        }
        return problem(response.getStatus(), null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Request failed", e);
        return problem(Response.Status.INTERNAL_SERVER_ERROR.getStatusCode(), null);
    }

    private static Response problem(int status, String detail) {
        Response.StatusType statusType = Response.Status.fromStatusCode(status);
        String title = statusType != null ? statusType.getReasonPhrase() : "Error";
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail))
                .build();
    }
}
