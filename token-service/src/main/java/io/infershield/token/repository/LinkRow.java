package io.infershield.token.repository;

import io.infershield.token.entity.ProviderLink;
import io.infershield.token.vault.Sealed;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;

/** A provider link as the credential path reads it over plain SQL: ciphertexts and the times that drive refresh. */
public record LinkRow(long id, String tenant, String subject, String provider, String state, String brokenReason,
                      String keyVersion, String accessCiphertext, Instant accessExpiresAt, String refreshCiphertext,
                      String derivedCiphertext, Instant derivedExpiresAt, Instant derivedRefreshAt, String apiBase,
                      long credentialVersion, Instant nextRefreshAt) {

    static final String COLUMNS = "id, tenant, subject, provider, state, broken_reason, key_version, access_ciphertext, "
            + "access_expires_at, refresh_ciphertext, derived_ciphertext, derived_expires_at, derived_refresh_at, api_base, "
            + "credential_version, next_refresh_at";

    static LinkRow of(Row row) {
        return new LinkRow(row.getLong("id"), row.getString("tenant"), row.getString("subject"), row.getString("provider"),
                row.getString("state"), row.getString("broken_reason"), row.getString("key_version"),
                row.getString("access_ciphertext"), instant(row, "access_expires_at"), row.getString("refresh_ciphertext"),
                row.getString("derived_ciphertext"), instant(row, "derived_expires_at"),
                instant(row, "derived_refresh_at"), row.getString("api_base"), row.getLong("credential_version"),
                instant(row, "next_refresh_at"));
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    public boolean broken() {
        return ProviderLink.BROKEN.equals(state);
    }

    public Sealed access() {
        return new Sealed(keyVersion, accessCiphertext);
    }

    public Sealed refresh() {
        return refreshCiphertext == null ? null : new Sealed(keyVersion, refreshCiphertext);
    }

    public Sealed derived() {
        return derivedCiphertext == null ? null : new Sealed(keyVersion, derivedCiphertext);
    }

    @Override
    public String toString() {
        return "LinkRow[id=" + id + ", provider=" + provider + ", state=" + state + ", version=" + credentialVersion + "]";
    }
}
