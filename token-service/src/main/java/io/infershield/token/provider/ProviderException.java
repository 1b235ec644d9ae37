package io.infershield.token.provider;

/**
 * An upstream provider refused or failed a refresh, exchange or revocation. {@link #permanent()} failures
 * ({@code invalid_grant}, {@code bad_refresh_token}, a 401 from the Copilot token endpoint) are never retried: the link
 * is broken until the user links again. Transient ones (5xx, 429, connection failures) are retried with back-off.
 * The reason is a short code taken from the provider's error code or the HTTP status: never a token or a body.
 */
public class ProviderException extends RuntimeException {

    private final boolean permanent;
    private final String reason;

    ProviderException(boolean permanent, String reason) {
        super((permanent ? "permanent" : "transient") + " provider failure: " + reason, null, false, false);
        this.permanent = permanent;
        this.reason = reason;
    }

    public static ProviderException permanent(String reason) {
        return new ProviderException(true, reason);
    }

    public static ProviderException transientFailure(String reason) {
        return new ProviderException(false, reason);
    }

    public boolean permanent() {
        return permanent;
    }

    public String reason() {
        return reason;
    }
}
