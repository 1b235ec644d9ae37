package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.config.TokenConfig;
import io.infershield.token.repository.LinkRow;
import io.infershield.token.repository.LinkRows;
import io.infershield.token.repository.OrgKeyRepository;
import io.infershield.token.service.RefreshService.Outcome;
import io.infershield.token.service.RefreshService.Trigger;
import io.infershield.token.vault.CiphertextRejectedException;
import io.infershield.token.vault.Sealed;
import io.infershield.token.vault.VaultUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;

/**
 * Releases credentials to proxy-service: the user's own link first, then the tenant's org key (architecture: token-service
 * internal API). A token due for refresh is refreshed first, through {@link RefreshService}'s single flight. Every
 * release, and every failure to release, is a {@code token.read} event, recorded before the token leaves.
 */
@ApplicationScoped
public class CredentialService {

    private static final Logger LOG = Logger.getLogger(CredentialService.class);

    private final Pool pool;
    private final LinkRows links;
    private final OrgKeyRepository orgKeys;
    private final RefreshService refreshes;
    private final Sealer sealer;
    private final TokenEvents events;
    private final TokenConfig config;
    private final RefreshPolicy policy;
    private final Clock clock;

    CredentialService(Pool pool, LinkRows links, OrgKeyRepository orgKeys, RefreshService refreshes, Sealer sealer,
                      TokenEvents events, TokenConfig config, RefreshPolicy policy, Clock clock) {
        this.pool = pool;
        this.links = links;
        this.orgKeys = orgKeys;
        this.refreshes = refreshes;
        this.sealer = sealer;
        this.events = events;
        this.config = config;
        this.policy = policy;
        this.clock = clock;
    }

    /** The credential for {@code access}: the user's link (refreshed if due), else the org key. */
    public Uni<Credential> credential(Access access) {
        return pool.withConnection(c -> links.find(c, access.tenant(), access.subject(), access.provider()))
                .chain(row -> {
                    if (row == null) {
                        return orgKey(access);
                    }
                    if (row.broken()) {
                        return brokenLink(access, row.keyVersion(), row.brokenReason());
                    }
                    if (!policy.isDue(row, clock.instant())) {
                        return release(access, row);
                    }
                    return refreshes.refresh(access, row.credentialVersion(), Trigger.EXPIRING)
                            .chain(outcome -> afterRefresh(access, outcome, false));
                });
    }

    /**
     * The upstream rejected the credential at {@code rejectedVersion}: refresh it once (if nobody has yet) and release
     * what stands then. An org key cannot be refreshed here; it is released as it is.
     */
    public Uni<Credential> refreshRejected(Access access, long rejectedVersion) {
        return pool.withConnection(c -> links.find(c, access.tenant(), access.subject(), access.provider()))
                .chain(row -> {
                    if (row == null) {
                        return orgKey(access);
                    }
                    if (row.broken()) {
                        return brokenLink(access, row.keyVersion(), row.brokenReason());
                    }
                    if (row.credentialVersion() != rejectedVersion) {
                        return release(access, row);
                    }
                    return refreshes.refresh(access, rejectedVersion, Trigger.REJECTED)
                            .chain(outcome -> afterRefresh(access, outcome, true));
                });
    }

    private Uni<Credential> afterRefresh(Access access, Outcome outcome, boolean rejected) {
        if (outcome instanceof Outcome.Current current) {
            return release(access, current.row());
        }
        if (outcome instanceof Outcome.Broken broken) {
            return brokenLink(access, null, broken.reason());
        }
        if (outcome instanceof Outcome.Unavailable unavailable) {
            Instant expiresAt = expiresAt(unavailable.row());
            // a token that is due but not yet expired still works: better than nothing while the provider is away
            if (!rejected && (expiresAt == null || clock.instant().isBefore(expiresAt))) {
                return release(access, unavailable.row());
            }
            return events.recordAlone(access.event(TokenEvent.READ, TokenEvent.OUTCOME_FAILED,
                            unavailable.row().keyVersion(), unavailable.reason()))
                    .chain(() -> Uni.createFrom().failure(
                            new ProviderUnavailableException(access.provider(), unavailable.reason())));
        }
        if (outcome instanceof Outcome.Failed failed) {
            return Uni.createFrom().failure(failed.error());
        }
        // deleted while we waited for the lock: what stands now is the org key, if any
        return orgKey(access);
    }

    private Uni<Credential> release(Access access, LinkRow row) {
        boolean derived = row.derivedCiphertext() != null;
        Sealed sealed = derived ? row.derived() : row.access();
        String apiBase = derived ? row.apiBase() : apiBaseOf(access.provider());
        return open(access, sealed)
                .map(token -> new Credential(access.provider(), "user", token, row.credentialVersion(), expiresAt(row),
                        apiBase));
    }

    private Uni<Credential> orgKey(Access userAccess) {
        Access access = userAccess.withCredential(TokenEvent.ORG_KEY);
        return pool.withConnection(c -> orgKeys.find(c, access.tenant(), access.provider()))
                .chain(key -> {
                    if (key == null) {
                        return events.recordAlone(userAccess.event(TokenEvent.READ, TokenEvent.OUTCOME_NOT_FOUND, null,
                                        null))
                                .chain(() -> Uni.createFrom().failure(NotFoundException.noCredential(access.provider())));
                    }
                    return open(access, key.sealed())
                            .map(token -> new Credential(access.provider(), "org", token, key.version(), null,
                                    apiBaseOf(access.provider())));
                });
    }

    private Uni<Credential> brokenLink(Access access, String keyVersion, String reason) {
        return events.recordAlone(access.event(TokenEvent.READ, TokenEvent.OUTCOME_FAILED, keyVersion, "link_broken"))
                .chain(() -> Uni.createFrom().failure(new LinkBrokenException(access.provider(), reason)));
    }

    /** Decrypts, and records the read, or its failure, before anything leaves. */
    private Uni<String> open(Access access, Sealed sealed) {
        return sealer.open(access, sealed)
                .onFailure(CiphertextRejectedException.class).call(e -> {
                    LOG.errorf("A stored %s did not decrypt tenant=%s user=%s provider=%s: %s", access.credential(),
                            access.tenant(), access.subject(), access.provider(), e.getMessage());
                    return events.recordAlone(access.event(TokenEvent.READ, TokenEvent.OUTCOME_TAMPERED,
                            sealed.keyVersion(), "ciphertext_rejected"));
                })
                .onFailure(VaultUnavailableException.class).call(e -> events.recordAlone(access.event(TokenEvent.READ,
                        TokenEvent.OUTCOME_FAILED, sealed.keyVersion(), "vault_" + ((VaultUnavailableException) e).reason())))
                .call(() -> events.recordAlone(access.success(TokenEvent.READ, sealed.keyVersion())));
    }

    private String apiBaseOf(String provider) {
        TokenConfig.Provider p = config.providers().get(provider);
        return p == null ? null : p.apiBase().orElse(null);
    }

    private static Instant expiresAt(LinkRow row) {
        return row.derivedCiphertext() != null ? row.derivedExpiresAt() : row.accessExpiresAt();
    }
}
