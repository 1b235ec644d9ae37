package io.infershield.cli.oauth;

import java.time.Instant;

/** A personal key ({@code isk_…}) auth-service created for IDE settings, which outlives the access credential. */
public record PersonalKey(String value, Instant expiresAt) {

    @Override
    public String toString() {
        return "PersonalKey[" + Redaction.prefix(value) + ", expiresAt=" + expiresAt + "]";
    }
}
