package io.infershield.auth.service;

/**
 * An OAuth error answered as {@code {"error", "error_description"}} (RFC 6749 §5.2, RFC 8628 §3.5). Descriptions are
 * fixed texts: they never echo request input.
 */
public class OAuthError extends RuntimeException {

    private final int status;
    private final String error;
    private final String challenge;

    private OAuthError(int status, String error, String description, String challenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.challenge = challenge;
    }

    private OAuthError(int status, String error, String description) {
        this(status, error, description, null);
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError invalidClient() {
        return new OAuthError(401, "invalid_client", "Unknown client.");
    }

    /** The introspection caller failed HTTP Basic authentication (RFC 6749 §5.2: answer with a challenge). */
    public static OAuthError invalidClientBasic() {
        return new OAuthError(401, "invalid_client", "Client authentication failed.", "Basic realm=\"infershield\"");
    }

    /**
     * A bearer call without a usable token (RFC 6750 §3.1 invalid_token). A request that carried no token at all gets
     * a challenge without an error code (§3.1: it was not told how to authenticate yet).
     */
    public static OAuthError invalidToken(boolean tokenPresent) {
        return new OAuthError(401, "invalid_token", "A live access credential from `infershield login` is required.",
                tokenPresent ? "Bearer realm=\"infershield\", error=\"invalid_token\"" : "Bearer realm=\"infershield\"");
    }

    public static OAuthError unauthorizedClient() {
        return new OAuthError(400, "unauthorized_client", "The client is not allowed to use this grant type.");
    }

    public static OAuthError invalidScope() {
        return new OAuthError(400, "invalid_scope", "The requested scope is not allowed for this client.");
    }

    public static OAuthError unsupportedGrantType() {
        return new OAuthError(400, "unsupported_grant_type", "Only the device_code and refresh_token grants are supported.");
    }

    public static OAuthError invalidGrant() {
        return new OAuthError(400, "invalid_grant", "The device code is invalid, already used or belongs to another client.");
    }

    public static OAuthError invalidRefreshToken() {
        return new OAuthError(400, "invalid_grant", "The refresh token is invalid, expired, already used or belongs to another client.");
    }

    public static OAuthError authorizationPending() {
        return new OAuthError(400, "authorization_pending", "The user has not approved the request yet.");
    }

    public static OAuthError slowDown() {
        return new OAuthError(400, "slow_down", "Polling too fast: the interval has grown by 5 seconds.");
    }

    public static OAuthError expiredToken() {
        return new OAuthError(400, "expired_token", "The device code has expired. Start again.");
    }

    public static OAuthError accessDenied() {
        return new OAuthError(400, "access_denied", "The user denied the request.");
    }

    /** RFC 8628 §3.5 access_denied for a grant of a user an administrator disabled. */
    public static OAuthError userDisabled() {
        return new OAuthError(400, "access_denied", "The user's account is disabled.");
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

    /** The {@code WWW-Authenticate} value the answer carries, or null for none. */
    public String challenge() {
        return challenge;
    }
}
