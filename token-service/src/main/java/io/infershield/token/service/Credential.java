package io.infershield.token.service;

import java.time.Instant;

/**
 * A credential released to proxy-service: the user's own linked token or the tenant's org key.
 *
 * @param source  {@code user} or {@code org}
 * @param version names this token value, for a later refresh request
 * @param apiBase where the upstream API lives for this token (the Copilot token's {@code endpoints.api}), or null
 */
public record Credential(String provider, String source, String token, long version, Instant expiresAt, String apiBase) {

    /** Keeps the token out of any log line or debugger view that prints the record. */
    @Override
    public String toString() {
        return "Credential[provider=" + provider + ", source=" + source + ", version=" + version + "]";
    }
}
