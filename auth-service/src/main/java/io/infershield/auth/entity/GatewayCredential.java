package io.infershield.auth.entity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** An opaque gateway credential ({@code isk_…}) issued to a device. The credential itself is never stored. */
@Entity
@Table(name = "gateway_credential")
public class GatewayCredential extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Hex SHA-256 of the credential. */
    @Column(name = "token_hash")
    public String tokenHash;

    public String subject;

    public String tenant;

    @Column(name = "client_id")
    public String clientId;

    public String scope;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** Whether the credential may be used at {@code now} (RFC 7662 §2.2 "active"). */
    public boolean isActiveAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
