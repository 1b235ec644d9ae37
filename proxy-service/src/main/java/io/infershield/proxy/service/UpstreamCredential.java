package io.infershield.proxy.service;

/**
 * The credential one request is forwarded with.
 *
 * @param provider the token-service provider it belongs to
 * @param own      the caller's own linked account, rather than the tenant's org key
 * @param version  names this token value, so a 401 can ask token-service to replace exactly this one
 * @param apiBase  the base URL the token is bound to (Copilot's {@code endpoints.api}), or {@code null}
 */
public record UpstreamCredential(String provider, boolean own, String token, long version, String apiBase) {

    /** How the event names it: {@code user-token} or {@code org-key}. */
    public String kind() {
        return own ? "user-token" : "org-key";
    }

    @Override
    public String toString() {
        return "UpstreamCredential[provider=" + provider + ", own=" + own + ", version=" + version + "]";
    }
}
