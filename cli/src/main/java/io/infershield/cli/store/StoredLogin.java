package io.infershield.cli.store;

import io.infershield.cli.oauth.Redaction;

import java.time.Duration;
import java.time.Instant;

/**
 * What a successful {@code infershield login} leaves behind, and the personal key {@code infershield ide} created.
 * {@code expiresAt} is null when the server gave no lifetime; {@code refreshToken} is null when it issued none, and
 * the personal key fields are null until {@code infershield ide} first runs.
 */
public record StoredLogin(String server, String proxy, String credential, Instant expiresAt, String refreshToken,
                          String personalKey, Instant personalKeyExpiresAt) {

    /** A login without a refresh token or personal key. */
    public StoredLogin(String server, String proxy, String credential, Instant expiresAt) {
        this(server, proxy, credential, expiresAt, null, null, null);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Whether the personal key is there and still lives for at least {@code margin} after {@code now}. */
    public boolean personalKeyLasts(Instant now, Duration margin) {
        return personalKey != null && personalKeyExpiresAt != null && now.plus(margin).isBefore(personalKeyExpiresAt);
    }

    /** This login after a refresh: the rotated pair replaces the old one (RFC 6749 §6). */
    public StoredLogin withAccess(String credential, Instant expiresAt, String refreshToken) {
        return new StoredLogin(server, proxy, credential, expiresAt, refreshToken, personalKey, personalKeyExpiresAt);
    }

    public StoredLogin withPersonalKey(String key, Instant keyExpiresAt) {
        return new StoredLogin(server, proxy, credential, expiresAt, refreshToken, key, keyExpiresAt);
    }

    @Override
    public String toString() {
        return "StoredLogin[server=" + server + ", proxy=" + proxy + ", credential=" + Redaction.prefix(credential)
                + ", expiresAt=" + expiresAt + ", refreshToken=" + Redaction.prefix(refreshToken) + ", personalKey="
                + Redaction.prefix(personalKey) + ", personalKeyExpiresAt=" + personalKeyExpiresAt + "]";
    }
}
