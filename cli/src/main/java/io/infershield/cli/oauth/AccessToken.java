package io.infershield.cli.oauth;

import java.time.Duration;
import java.util.Optional;

/**
 * RFC 6749 §5.1 token response: the gateway credential ({@code isk_…}), its lifetime when the server gave one, and the
 * refresh token ({@code isr_…}) when it issued one, else null.
 */
public record AccessToken(String value, Optional<Duration> expiresIn, String refreshToken) {

    @Override
    public String toString() {
        return "AccessToken[" + Redaction.prefix(value) + ", refreshToken=" + Redaction.prefix(refreshToken) + "]";
    }
}
