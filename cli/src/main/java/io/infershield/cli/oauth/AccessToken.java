package io.infershield.cli.oauth;

import java.time.Duration;
import java.util.Optional;

/** RFC 6749 §5.1 token response: the gateway credential ({@code isk_…}) and its lifetime when the server gave one. */
public record AccessToken(String value, Optional<Duration> expiresIn) {

    @Override
    public String toString() {
        return "AccessToken[" + Redaction.prefix(value) + "]";
    }
}
