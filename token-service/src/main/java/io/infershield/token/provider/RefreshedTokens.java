package io.infershield.token.provider;

import java.time.Instant;

/**
 * What a token endpoint answered to a {@code refresh_token} grant (RFC 6749 §5.1). {@code refreshToken} is the rotated
 * refresh token, or {@code null} when the provider kept the old one (RFC 6749 §6 lets it choose).
 */
public record RefreshedTokens(String accessToken, String refreshToken, Instant expiresAt, String scope) {

    @Override
    public String toString() {
        return "RefreshedTokens[expiresAt=" + expiresAt + ", scope=" + scope + "]";
    }
}
