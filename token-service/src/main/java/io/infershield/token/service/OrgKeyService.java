package io.infershield.token.service;

import io.infershield.token.entity.OrgKey;
import io.infershield.token.repository.OrgKeyRepository;
import io.infershield.token.vault.Encryptor;
import io.infershield.token.vault.Sealed;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Custody of org keys: they are encrypted before they reach the repository and decrypted only for the proxy. */
@ApplicationScoped
public class OrgKeyService {

    private static final Logger LOG = Logger.getLogger(OrgKeyService.class);

    private final OrgKeyRepository repository;
    private final Encryptor encryptor;

    OrgKeyService(OrgKeyRepository repository, Encryptor encryptor) {
        this.repository = repository;
        this.encryptor = encryptor;
    }

    /** Stores the tenant's key for the provider, replacing any earlier one. */
    @WithTransaction
    public Uni<Void> store(String tenant, String provider, String apiKey) {
        byte[] plaintext = apiKey.getBytes(StandardCharsets.UTF_8);
        Sealed sealed = encryptor.encrypt(tenant, Encryptor.ORG_OWNER, provider, plaintext);
        return repository.upsert(tenant, provider, sealed.ciphertext(), sealed.keyVersion(), fingerprint(plaintext))
                .invoke(() -> LOG.infof("Stored org key tenant=%s provider=%s keyVersion=%s",
                        tenant, provider, sealed.keyVersion()));
    }

    /** The tenant's keys, metadata only. */
    @WithSession
    public Uni<List<OrgKey>> list(String tenant) {
        return repository.listByTenant(tenant);
    }

    /** @throws OrgKeyNotFoundException if the tenant holds no key for the provider */
    @WithTransaction
    public Uni<Void> delete(String tenant, String provider) {
        return repository.deleteByTenantAndProvider(tenant, provider)
                .invoke(deleted -> {
                    if (!deleted) {
                        throw new OrgKeyNotFoundException(tenant, provider);
                    }
                    LOG.infof("Deleted org key tenant=%s provider=%s", tenant, provider);
                })
                .replaceWithVoid();
    }

    /**
     * Decrypts the tenant's key for a caller acting for a user. The log line is the only record of the release until
     * token-events carries it.
     *
     * @throws OrgKeyNotFoundException if the tenant holds no key for the provider
     */
    @WithSession
    public Uni<OrgKeySecret> reveal(String tenant, String provider, String caller, String onBehalfOf) {
        return repository.findByTenantAndProvider(tenant, provider)
                .onItem().ifNull().failWith(() -> new OrgKeyNotFoundException(tenant, provider))
                .map(key -> {
                    byte[] plaintext = encryptor.decrypt(tenant, Encryptor.ORG_OWNER, provider,
                            new Sealed(key.keyVersion, key.ciphertext));
                    LOG.infof("Released org key tenant=%s provider=%s caller=%s onBehalfOf=%s",
                            tenant, provider, caller, onBehalfOf);
                    return new OrgKeySecret(provider, new String(plaintext, StandardCharsets.UTF_8), key.keyVersion);
                });
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
