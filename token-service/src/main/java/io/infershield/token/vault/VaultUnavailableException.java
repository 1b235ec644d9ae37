package io.infershield.token.vault;

/**
 * The encryption backend could not serve the request: Vault is sealed, down, unreachable, or its policy refuses this
 * service. Retrying later may succeed; the caller gets 503. The reason is a short code safe for events and logs.
 */
public class VaultUnavailableException extends RuntimeException {

    private final String reason;

    public VaultUnavailableException(String reason, Throwable cause) {
        super("Vault unavailable: " + reason, cause);
        this.reason = reason;
    }

    /** {@code sealed}, {@code permission_denied}, {@code unreachable}, {@code key_not_derived} or {@code http_<status>}. */
    public String reason() {
        return reason;
    }
}
