package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.config.TokenConfig;
import io.infershield.token.repository.LinkRow;
import io.infershield.token.repository.LinkRows;
import io.infershield.token.repository.OrgKeyRepository;
import io.infershield.token.vault.CiphertextRejectedException;
import io.infershield.token.vault.Encryptor;
import io.infershield.token.vault.Sealed;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Key rotation (security checklist C.1): rows sealed under an older key version stay readable, and this job moves them
 * to the current one: the local keyring decrypts and encrypts again, Vault Transit rewraps without the plaintext leaving
 * Vault. Each re-sealed row is a {@code token.rotated} event. A row that no longer decrypts is reported as tampered and
 * left as it is.
 */
@ApplicationScoped
public class KeyRotation {

    /** The actor of rotations. */
    public static final String ACTOR = "key-rotation";

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);

    private final Pool pool;
    private final Encryptor encryptor;
    private final LinkRows links;
    private final OrgKeyRepository orgKeys;
    private final TokenEvents events;
    private final int batch;

    KeyRotation(Pool pool, Encryptor encryptor, LinkRows links, OrgKeyRepository orgKeys, TokenEvents events,
                TokenConfig config) {
        this.pool = pool;
        this.encryptor = encryptor;
        this.links = links;
        this.orgKeys = orgKeys;
        this.events = events;
        this.batch = config.rotation().batch();
    }

    @Scheduled(identity = "token-key-rotation", every = "${token.rotation.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return rotate()
                .onFailure().invoke(e -> LOG.warnf("Key rotation run failed, the next run retries: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Re-seals up to one batch of links and one of org keys; answers how many rows moved to the current version. */
    public Uni<Integer> rotate() {
        return encryptor.currentVersion().chain(current -> pool.withTransaction(tx -> links.lockStale(tx, current, batch)
                        .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                        .onItem().transformToUniAndConcatenate(row -> rotateLink(tx, row))
                        .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue)))
                .chain(rotatedLinks -> pool.withTransaction(tx -> orgKeys.lockStale(tx, current, batch)
                                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                                .onItem().transformToUniAndConcatenate(key -> rotateOrgKey(tx, key))
                                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue)))
                        .map(rotatedKeys -> rotatedLinks + rotatedKeys)))
                .invoke(rotated -> {
                    if (rotated > 0) {
                        LOG.infof("Re-sealed %d rows under the current key version", rotated);
                    }
                });
    }

    private Uni<Integer> rotateLink(SqlClient tx, LinkRow row) {
        Access access = new Access(row.tenant(), row.subject(), row.provider(), TokenEvent.USER_TOKEN, ACTOR, "rotation");
        String owner = row.subject();
        return reseal(row, owner, row.access()).chain(a -> reseal(row, owner, row.refresh())
                        .chain(r -> reseal(row, owner, row.derived())
                                .map(d -> new LinkRows.Seals(a.keyVersion(), a.ciphertext(),
                                        r == null ? null : r.ciphertext(), d == null ? null : d.ciphertext()))))
                .chain(seals -> links.reseal(tx, row.id(), row.credentialVersion(), seals)
                        .chain(done -> done
                                ? events.record(tx, access.success(TokenEvent.ROTATED, seals.keyVersion())).replaceWith(1)
                                : Uni.createFrom().item(0)))
                .onFailure(CiphertextRejectedException.class).recoverWithUni(e -> events.record(tx, access.event(
                        TokenEvent.ROTATED, TokenEvent.OUTCOME_TAMPERED, row.keyVersion(), "ciphertext_rejected"))
                        .replaceWith(0));
    }

    private Uni<Integer> rotateOrgKey(SqlClient tx, OrgKeyRepository.OrgKeyRow key) {
        Access access = OrgKeyService.access(key.tenant(), key.provider(), ACTOR, "rotation");
        return encryptor.reseal(key.tenant(), Encryptor.ORG_OWNER, key.provider(), key.sealed())
                .chain(sealed -> orgKeys.reseal(tx, key, sealed)
                        .chain(done -> done
                                ? events.record(tx, access.success(TokenEvent.ROTATED, sealed.keyVersion())).replaceWith(1)
                                : Uni.createFrom().item(0)))
                .onFailure(CiphertextRejectedException.class).recoverWithUni(e -> events.record(tx, access.event(
                        TokenEvent.ROTATED, TokenEvent.OUTCOME_TAMPERED, key.sealed().keyVersion(), "ciphertext_rejected"))
                        .replaceWith(0));
    }

    private Uni<Sealed> reseal(LinkRow row, String owner, Sealed sealed) {
        return sealed == null ? Uni.createFrom().nullItem()
                : encryptor.reseal(row.tenant(), owner, row.provider(), sealed);
    }
}
