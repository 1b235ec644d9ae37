package io.infershield.auth.service;

/**
 * An OAuth error answered as {@code {"error", "error_description"}} (RFC 6749 §5.2, RFC 8628 §3.5). Descriptions are
 * fixed texts: they never echo request input.
 */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;
    private final boolean basicChallenge;

    private OAuthError(int status, String error, String description, boolean basicChallenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.basicChallenge = basicChallenge;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description, false);
    }

    public static OAuthError invalidClient() {
        return new OAuthError(401, "invalid_client", "Unknown client.", false);
    }

    /** The introspection caller failed HTTP Basic authentication (RFC 6749 §5.2: answer with a challenge). */
    public static OAuthError invalidClientBasic() {
        return new OAuthError(401, "invalid_client", "Client authentication failed.", true);
    }

    public static OAuthError unauthorizedClient() {
        return new OAuthError(400, "unauthorized_client", "The client is not allowed to use this grant type.", false);
    }

    public static OAuthError invalidScope() {
        return new OAuthError(400, "invalid_scope", "The requested scope is not allowed for this client.", false);
    }

    public static OAuthError unsupportedGrantType() {
        return new OAuthError(400, "unsupported_grant_type", "Only the device_code and refresh_token grants are supported.", false);
    }

    public static OAuthError invalidGrant() {
        return new OAuthError(400, "invalid_grant", "The device code is invalid, already used or belongs to another client.", false);
    }

    public static OAuthError invalidRefreshToken() {
        return new OAuthError(400, "invalid_grant", "The refresh token is invalid, expired, already used or belongs to another client.", false);
    }

    public static OAuthError authorizationPending() {
        return new OAuthError(400, "authorization_pending", "The user has not approved the request yet.", false);
    }

    public static OAuthError slowDown() {
        return new OAuthError(400, "slow_down", "Polling too fast: the interval has grown by 5 seconds.", false);
    }

    public static OAuthError expiredToken() {
        return new OAuthError(400, "expired_token", "The device code has expired. Start again.", false);
    }

    public static OAuthError accessDenied() {
        return new OAuthError(400, "access_denied", "The user denied the request.", false);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    /** Whether the answer carries {@code WWW-Authenticate: Basic}. */
    public boolean basicChallenge() {
        return basicChallenge;
    }
}
