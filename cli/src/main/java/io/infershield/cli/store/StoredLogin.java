package io.infershield.cli.store;

import io.infershield.cli.oauth.Redaction;

import java.time.Instant;

/** What a successful {@code infershield login} leaves behind. {@code expiresAt} is null when the server gave no lifetime. */
public record StoredLogin(String server, String proxy, String credential, Instant expiresAt) {

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "StoredLogin[server=" + server + ", proxy=" + proxy + ", credential=" + Redaction.prefix(credential)
                + ", expiresAt=" + expiresAt + "]";
    }
}
