package io.infershield.token.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A tenant's API key for one upstream provider, stored encrypted. */
@Entity
@Table(name = "org_key")
public class OrgKey {

    /** Tenant names as they appear in paths and gateway credentials. */
    public static final String TENANT_PATTERN = "[A-Za-z0-9._-]{1,64}";
    /** Provider ids such as {@code openai} or {@code anthropic}. */
    public static final String PROVIDER_PATTERN = "[a-z0-9-]{1,32}";
    /**
     * Printable ASCII without spaces: every provider's keys fit, and it keeps CR/LF out of the upstream
     * {@code Authorization} header the proxy builds from it.
     */
    public static final String API_KEY_PATTERN = "[\\x21-\\x7E]+";
    public static final int API_KEY_MIN = 8;
    public static final int API_KEY_MAX = 4096;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String tenant;

    public String provider;

    /** The sealed key, in the format of the keyring version {@link #keyVersion}. */
    public String ciphertext;

    @Column(name = "key_version")
    public String keyVersion;

    public String fingerprint;

    /** Names this key value; bumped whenever the key is replaced. */
    public long version;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", insertable = false, updatable = false)
    public Instant updatedAt;
}
