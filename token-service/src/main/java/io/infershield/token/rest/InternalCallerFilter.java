package io.infershield.token.rest;

import io.infershield.token.service.InternalCallerAuthenticator;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic authentication (RFC 7617) of the internal caller, before any parameter of the request is looked at.
 * Hand-written rather than Quarkus' basic auth mechanism, which would also answer on the Keycloak-protected admin API
 * and needs an identity store for a single client.
 */
@Provider
@InternalCaller
@Priority(Priorities.AUTHENTICATION)
public class InternalCallerFilter implements ContainerRequestFilter {

    private final InternalCallerAuthenticator callers;

    InternalCallerFilter(InternalCallerAuthenticator callers) {
        this.callers = callers;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        // RFC 7617 §2 with RFC 9110 §11.1: the scheme name is case-insensitive.
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new CallerUnauthorizedException();
        }
        String userPass;
        try {
            userPass = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new CallerUnauthorizedException();
        }
        int colon = userPass.indexOf(':'); // RFC 7617 §2: the user-id cannot contain a colon, the password can
        if (colon < 0 || !callers.authenticates(userPass.substring(0, colon), userPass.substring(colon + 1))) {
            throw new CallerUnauthorizedException();
        }
    }
}
