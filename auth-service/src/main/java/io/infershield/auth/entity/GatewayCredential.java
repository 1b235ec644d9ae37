package io.infershield.auth.entity;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An opaque credential: an access credential ({@code isk_…}) or a refresh token ({@code isr_…}) issued to a device, or
 * a personal key ({@code isk_…}) a user created. The credential itself is never stored.
 */
@Entity
@Table(name = "gateway_credential")
public class GatewayCredential extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Hex SHA-256 of the credential. */
    @Column(name = "token_hash")
    public String tokenHash;

    @Enumerated(EnumType.STRING)
    public CredentialKind kind;

    /** Shared by every credential issued from one device grant, through all its refreshes; a personal key's own id. */
    @Column(name = "family_id")
    public UUID familyId;

    public String subject;

    public String tenant;

    @Column(name = "client_id")
    public String clientId;

    public String scope;

    /** The groups the proxy applies its policy for: the approver's of a device grant, the creator's of a key. */
    public String[] groups = new String[0];

    /** The name the user gave a personal key; null for the other kinds. */
    public String name;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** When a refresh token was exchanged for a new pair. */
    @Column(name = "used_at")
    public Instant usedAt;

    /** Whether the credential may be used at {@code now} (RFC 7662 §2.2 "active"). */
    public boolean isActiveAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
