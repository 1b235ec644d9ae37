package io.infershield.auth.rest;

import io.infershield.auth.service.OAuthError;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Request and response rules shared by every OAuth endpoint under {@code /oauth/}. */
public class OAuthFilters {

    static final String OAUTH_PATH = "/oauth/";

    static boolean isOAuthPath(String path) {
        return path.startsWith(OAUTH_PATH);
    }

    /**
     * OAuth endpoints take only form-encoded bodies (RFC 6749 §3.2, RFC 8628 §3.1) and answer anything else with
     * invalid_request. This runs before matching, because matching would answer 415 instead.
     */
    @ServerRequestFilter(preMatching = true)
    public void requireFormBody(ContainerRequestContext request) {
        if (!HttpMethod.POST.equals(request.getMethod()) || !isOAuthPath(request.getUriInfo().getPath())) {
            return;
        }
        MediaType type;
        try {
            type = request.getMediaType();
        } catch (IllegalArgumentException unparseable) {
            type = null;
        }
        if (type == null || !"application".equalsIgnoreCase(type.getType())
                || !"x-www-form-urlencoded".equalsIgnoreCase(type.getSubtype())) {
            throw OAuthError.invalidRequest("The body must be application/x-www-form-urlencoded.");
        }
    }

    /** Responses carrying credentials or codes must not be cached (RFC 6749 §5.1, RFC 8628 §3.2). */
    @ServerResponseFilter
    public void noStore(ContainerRequestContext request, ContainerResponseContext response) {
        if (isOAuthPath(request.getUriInfo().getPath())) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
            response.getHeaders().putSingle("Pragma", "no-cache");
        }
    }
}
