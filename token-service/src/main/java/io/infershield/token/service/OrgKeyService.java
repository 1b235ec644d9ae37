package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.entity.OrgKey;
import io.infershield.token.repository.OrgKeyRepository;
import io.infershield.token.vault.Encryptor;
import io.infershield.token.vault.VaultUnavailableException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Custody of org keys: encrypted before they reach the repository, released only through the credentials endpoint
 * ({@link CredentialService}). Storing and deleting are token-events with the administrator as actor and no subject.
 */
@ApplicationScoped
public class OrgKeyService {

    private static final Logger LOG = Logger.getLogger(OrgKeyService.class);

    private final OrgKeyRepository repository;
    private final Encryptor encryptor;
    private final TokenEvents events;

    OrgKeyService(OrgKeyRepository repository, Encryptor encryptor, TokenEvents events) {
        this.repository = repository;
        this.encryptor = encryptor;
        this.events = events;
    }

    /** What an administrator does to a tenant's key: {@code access.subject()} is null. */
    public static Access access(String tenant, String provider, String actor, String purpose) {
        return new Access(tenant, null, provider, TokenEvent.ORG_KEY, actor, purpose);
    }

    /** Stores the tenant's key for the provider, replacing any earlier one. */
    public Uni<Void> store(Access access, String apiKey) {
        byte[] plaintext = apiKey.getBytes(StandardCharsets.UTF_8);
        return encryptor.encrypt(access.tenant(), Encryptor.ORG_OWNER, access.provider(), plaintext)
                .onFailure(VaultUnavailableException.class).call(e -> events.recordAlone(access.event(TokenEvent.STORED,
                        TokenEvent.OUTCOME_FAILED, null, "vault_" + ((VaultUnavailableException) e).reason())))
                .chain(sealed -> Panache.withTransaction(() -> repository.upsert(access.tenant(), access.provider(),
                                sealed.ciphertext(), sealed.keyVersion(), fingerprint(plaintext))
                        .call(() -> events.record(access.success(TokenEvent.STORED, sealed.keyVersion()))))
                        .invoke(() -> LOG.infof("Stored org key tenant=%s provider=%s keyVersion=%s actor=%s",
                                access.tenant(), access.provider(), sealed.keyVersion(), access.actor())));
    }

    /** The tenant's keys, metadata only. */
    public Uni<List<OrgKey>> list(String tenant) {
        return Panache.withSession(() -> repository.listByTenant(tenant));
    }

    /** Deletes the tenant's key; fails with {@link OrgKeyNotFoundException} if there is none. */
    public Uni<Void> delete(Access access) {
        return Panache.withTransaction(() -> repository.deleteByTenantAndProvider(access.tenant(), access.provider())
                .call(deleted -> deleted
                        ? events.record(access.success(TokenEvent.REVOKED, null))
                        : Uni.createFrom().voidItem())
                .invoke(deleted -> {
                    if (!deleted) {
                        throw new OrgKeyNotFoundException(access.tenant(), access.provider());
                    }
                    LOG.infof("Deleted org key tenant=%s provider=%s actor=%s", access.tenant(), access.provider(),
                            access.actor());
                })
                .replaceWithVoid());
    }

    /** The first 8 hex chars of SHA-256: enough for an admin to tell keys apart, too little to help guess one. */
    static String fingerprint(byte[] plaintext) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(plaintext);
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
