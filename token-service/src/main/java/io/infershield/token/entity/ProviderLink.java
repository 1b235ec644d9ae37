package io.infershield.token.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A user's linked account at an upstream provider, keyed by (tenant, subject, provider). Holds only ciphertexts, all
 * sealed under {@link #keyVersion} for exactly this (tenant, subject, provider).
 */
@Entity
@Table(name = "provider_link")
public class ProviderLink {

    public static final String LINKED = "linked";
    public static final String BROKEN = "broken";
    /** User ids as auth-service names them: Keycloak subjects or usernames, federated ones included ({@code f:…:…}). */
    public static final String SUBJECT_PATTERN = "[A-Za-z0-9._@+:-]{1,255}";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String tenant;

    public String subject;

    public String provider;

    /** {@link #LINKED} or {@link #BROKEN}. */
    public String state;

    @Column(name = "broken_reason")
    public String brokenReason;

    /** Space-separated scope tokens (RFC 6749 §3.3). */
    public String scopes;

    @Column(name = "key_version")
    public String keyVersion;

    @Column(name = "access_expires_at")
    public Instant accessExpiresAt;

    @Column(name = "access_ciphertext")
    public String accessCiphertext;

    @Column(name = "refresh_ciphertext")
    public String refreshCiphertext;

    @Column(name = "credential_version")
    public long credentialVersion;

    @Column(name = "linked_at")
    public Instant linkedAt;

    @Column(name = "last_refresh_at")
    public Instant lastRefreshAt;
}
