package io.infershield.auth.rest;

import io.infershield.auth.service.CredentialService;
import io.infershield.auth.service.CredentialService.CredentialOwner;
import io.infershield.auth.service.DisabledUsers;
import io.infershield.auth.service.OAuthError;
import io.infershield.auth.service.UserDisabled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * Authenticates the CLI's own API calls by a live access credential from the device flow (RFC 6750 §2.1). OIDC does
 * not know these credentials, so the HTTP policy permits these paths and the resources call this instead.
 */
@ApplicationScoped
class BearerAuthentication {

    private static final String BEARER = "bearer ";

    private final CredentialService credentials;
    private final DisabledUsers disabledUsers;

    BearerAuthentication(CredentialService credentials, DisabledUsers disabledUsers) {
        this.credentials = credentials;
        this.disabledUsers = disabledUsers;
    }

    /**
     * The owner of the presented credential; fails with invalid_token (RFC 6750 §3.1) when there is none, and with
     * {@link UserDisabled} (403) when its owner is disabled: a credential that escaped the disable's revocation in a
     * race is refused, with an answer that tells the developer why.
     */
    Uni<CredentialOwner> authenticate(String authorization) {
        String token = bearerToken(authorization);
        if (token == null) {
            return Uni.createFrom().failure(OAuthError.invalidToken(authorization != null));
        }
        return credentials.accessCredentialOwner(token).chain(owner -> {
            if (owner == null) {
                return Uni.createFrom().failure(OAuthError.invalidToken(true));
            }
            return disabledUsers.isDisabled(owner.subject()).map(disabled -> {
                if (disabled) {
                    throw new UserDisabled();
                }
                return owner;
            });
        });
    }

    /** The token of an {@code Authorization: Bearer} header (RFC 6750 §2.1; the scheme is case-insensitive). */
    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return null;
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? null : token;
    }
}
