package io.infershield.token.rest;

import io.infershield.token.entity.OrgKey;

import java.time.Instant;

/** What the admin API shows of a stored key: never the key, only a short fingerprint of it. */
public record OrgKeyMetadata(String provider, String keyVersion, Instant createdAt, Instant updatedAt,
                             String fingerprint) {

    static OrgKeyMetadata of(OrgKey key) {
        return new OrgKeyMetadata(key.provider, key.keyVersion, key.createdAt, key.updatedAt, key.fingerprint);
    }
}
