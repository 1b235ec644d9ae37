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

/** One RFC 8628 device authorization request and its outcome. The device code itself is never stored. */
@Entity
@Table(name = "device_grant")
public class DeviceGrant extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Hex SHA-256 of the device code. */
    @Column(name = "device_code_hash")
    public String deviceCodeHash;

    /** The user code in canonical form: eight characters, no separator. */
    @Column(name = "user_code")
    public String userCode;

    @Column(name = "client_id")
    public String clientId;

    public String scope;

    @Enumerated(EnumType.STRING)
    public GrantStatus status;

    @Column(name = "interval_seconds")
    public int intervalSeconds;

    @Column(name = "last_polled_at")
    public Instant lastPolledAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "requester_ip")
    public String requesterIp;

    @Column(name = "requester_user_agent")
    public String requesterUserAgent;

    @Column(name = "created_at")
    public Instant createdAt;

    /** The signed-in user who confirmed the code first; only they may decide it (RFC 8628 §5.5). */
    @Column(name = "claimed_by")
    public String claimedBy;

    @Column(name = "claimed_at")
    public Instant claimedAt;

    /** The user who approved or denied the grant. */
    public String subject;

    @Column(name = "decided_at")
    public Instant decidedAt;

    /** The deciding user's groups at the moment they decided; every credential issued from the grant carries them. */
    public String[] groups = new String[0];
}
