package io.infershield.auth.repository;

import io.infershield.auth.entity.GatewayCredential;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Gateway credentials, looked up by the hash of the presented credential. */
@ApplicationScoped
public class GatewayCredentialRepository implements PanacheRepositoryBase<GatewayCredential, UUID> {

    public Uni<GatewayCredential> findByTokenHash(String tokenHash) {
        return find("tokenHash", tokenHash).firstResult();
    }

    /** Marks a refresh token as exchanged; true for exactly one caller however many race for it. */
    public Uni<Boolean> markUsed(UUID id, Instant now) {
        return update("usedAt = :now where id = :id and usedAt is null", Parameters.with("now", now).and("id", id))
                .map(rows -> rows == 1);
    }

    /** Revokes every credential of a family that is not revoked yet. */
    public Uni<Integer> revokeFamily(UUID familyId, Instant now) {
        return update("revokedAt = :now where familyId = :family and revokedAt is null",
                Parameters.with("now", now).and("family", familyId));
    }

    /** The credentials of {@code subject} that are not revoked yet, expired ones included. */
    public Uni<List<GatewayCredential>> findUnrevokedOf(String subject) {
        return list("subject = ?1 and revokedAt is null", subject);
    }

    /** The credentials of {@code subject} that may still be used at {@code now}, newest first. */
    public Uni<List<GatewayCredential>> findLiveOf(String subject, Instant now) {
        // an exchanged refresh token is not revoked, but can never be used again
        return list("subject = ?1 and revokedAt is null and usedAt is null and expiresAt > ?2 order by issuedAt desc",
                subject, now);
    }

    /** The credential with this id if it belongs to {@code subject}, else null. */
    public Uni<GatewayCredential> findOwned(UUID id, String subject) {
        return find("id = ?1 and subject = ?2", id, subject).firstResult();
    }

    /** Revokes every credential of {@code subject} that is not revoked yet. */
    public Uni<Integer> revokeAllOf(String subject, Instant now) {
        return update("revokedAt = :now where subject = :subject and revokedAt is null",
                Parameters.with("now", now).and("subject", subject));
    }

    /** Revokes the credential unless it already is; the first revocation time is kept. */
    public Uni<Integer> revoke(UUID id, Instant now) {
        return update("revokedAt = :now where id = :id and revokedAt is null",
                Parameters.with("now", now).and("id", id));
    }
}
