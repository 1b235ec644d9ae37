package io.infershield.auth.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Disabled users and the link revocations still owed to them, on plain SQL, plus the per-user lock that makes a
 * disable atomic against everything that mints a credential for the user.
 * <p>
 * The lock is a PostgreSQL transaction-level advisory lock on (tenant, subject). The disable takes it before it marks
 * the user and revokes their credentials; every path that issues a credential, approves a grant or starts a link takes
 * it before it checks the user, in the transaction that writes. Either the issuing transaction commits first, and the
 * disable revokes what it wrote, or it waits for the disable and sees the user disabled. The check must be a statement
 * of its own after the lock: in READ COMMITTED each statement reads what was committed when it began.
 */
@ApplicationScoped
public class DisabledUserRepository {

    private static final String LOCK = "select 1 from pg_advisory_xact_lock(hashtextextended($1, 0))";
    private static final String LOCK_HQL_NATIVE = "select 1 from pg_advisory_xact_lock(hashtextextended(:key, 0))";
    private static final String FIND = "select subject, disabled_at, disabled_by, reason from disabled_user"
            + " where tenant = $1 and subject = $2";
    private static final String COUNT_NATIVE = "select count(*) from disabled_user where tenant = :tenant and subject = :subject";

    /** A disabled user as recorded. */
    public record DisabledUser(String subject, Instant disabledAt, String disabledBy, String reason) {
    }

    /** A credential a disable revoked: what its revocation event names. */
    public record RevokedCredential(UUID id, String kind, UUID familyId, String clientId, boolean live) {
    }

    /** A device grant a disable refused. */
    public record RefusedGrant(UUID id, String clientId) {
    }

    /** A link revocation owed to a disabled user. */
    public record PendingRevocation(String tenant, String subject, Instant requestedAt, String requestedBy, int attempts) {
    }

    private static String lockKey(String tenant, String subject) {
        return "disabled-user/" + tenant + "/" + subject;
    }

    /** Takes the user's lock until {@code tx} ends. */
    public Uni<Void> lock(SqlClient tx, String tenant, String subject) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(lockKey(tenant, subject))).replaceWithVoid();
    }

    /**
     * Takes the user's lock in the current Hibernate transaction, then tells whether the user is disabled; for the
     * paths that mint credentials through Hibernate.
     */
    public Uni<Boolean> lockAndCheck(String tenant, String subject) {
        // deferred: the session is the one current where the Uni is subscribed, inside the caller's transaction
        return Uni.createFrom().deferred(Panache::getSession).chain(session -> session.createNativeQuery(LOCK_HQL_NATIVE)
                .setParameter("key", lockKey(tenant, subject)).getResultList()
                .chain(locked -> session.createNativeQuery(COUNT_NATIVE)
                        .setParameter("tenant", tenant).setParameter("subject", subject).getSingleResult())
                .map(count -> ((Number) count).longValue() > 0));
    }

    /** The user if disabled, else null. */
    public Uni<DisabledUser> find(SqlClient client, String tenant, String subject) {
        return client.preparedQuery(FIND).execute(Tuple.of(tenant, subject)).map(rows -> rows.size() == 0 ? null
                : read(rows.iterator().next()));
    }

    /** Marks the user disabled unless they already are; true when this call did it. */
    public Uni<Boolean> insert(SqlClient tx, String tenant, String subject, Instant at, String by, String reason) {
        return tx.preparedQuery("insert into disabled_user (tenant, subject, disabled_at, disabled_by, reason)"
                        + " values ($1, $2, $3, $4, $5) on conflict do nothing")
                .execute(Tuple.of(tenant, subject, utc(at), by, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Enables the user; true when they were disabled. */
    public Uni<Boolean> delete(SqlClient tx, String tenant, String subject) {
        return tx.preparedQuery("delete from disabled_user where tenant = $1 and subject = $2")
                .execute(Tuple.of(tenant, subject)).map(rows -> rows.rowCount() == 1);
    }

    /**
     * Revokes every credential of {@code subject} that is not revoked yet, of every kind, expired and exchanged ones
     * too; answers each, {@code live} for those that could still have been used. The subject alone selects them, as for
     * an administrator's revocation: a kill switch errs on the side of revoking.
     */
    public Uni<List<RevokedCredential>> revokeCredentials(SqlClient tx, String subject, Instant now) {
        return tx.preparedQuery("update gateway_credential set revoked_at = $2 where subject = $1 and revoked_at is null"
                        + " returning id, kind, family_id, client_id, (used_at is null and expires_at > $2) as live")
                .execute(Tuple.of(subject, utc(now))).map(rows -> {
                    List<RevokedCredential> revoked = new ArrayList<>(rows.size());
                    rows.forEach(row -> revoked.add(new RevokedCredential(row.getUUID("id"), row.getString("kind"),
                            row.getUUID("family_id"), row.getString("client_id"), row.getBoolean("live"))));
                    return revoked;
                });
    }

    /**
     * Refuses the unexpired device grants bound to {@code subject} and not yet exchanged: those they claimed at the
     * verification page and those they approved. Their devices' next poll gets access_denied (RFC 8628 §3.5).
     */
    public Uni<List<RefusedGrant>> refuseGrants(SqlClient tx, String subject, Instant now) {
        return tx.preparedQuery("update device_grant set status = 'DENIED', subject = $1, decided_at = $2"
                        + " where expires_at > $2 and ((status = 'PENDING' and claimed_by = $1)"
                        + " or (status = 'APPROVED' and subject = $1)) returning id, client_id")
                .execute(Tuple.of(subject, utc(now))).map(rows -> {
                    List<RefusedGrant> refused = new ArrayList<>(rows.size());
                    rows.forEach(row -> refused.add(new RefusedGrant(row.getUUID("id"), row.getString("client_id"))));
                    return refused;
                });
    }

    /** Live credentials of {@code subject} (any kind, not revoked, not exchanged, not expired). */
    public Uni<Integer> countLiveCredentials(SqlClient client, String subject, Instant now) {
        return client.preparedQuery("select count(*) from gateway_credential where subject = $1 and revoked_at is null"
                        + " and used_at is null and expires_at > $2")
                .execute(Tuple.of(subject, utc(now))).map(rows -> rows.iterator().next().getInteger(0));
    }

    /** Records that the user's links are owed a revocation (again, if one is already owed: it is due at once). */
    public Uni<Void> requestLinkRevocation(SqlClient tx, String tenant, String subject, String by, Instant now) {
        return tx.preparedQuery("insert into link_revocation (tenant, subject, requested_at, requested_by, next_attempt_at)"
                        + " values ($1, $2, $3, $4, $3) on conflict (tenant, subject) do update set"
                        + " requested_at = excluded.requested_at, requested_by = excluded.requested_by,"
                        + " next_attempt_at = excluded.next_attempt_at")
                .execute(Tuple.of(tenant, subject, utc(now), by)).replaceWithVoid();
    }

    /** Whether a revocation of the user's links is still owed. */
    public Uni<Boolean> linkRevocationPending(SqlClient client, String tenant, String subject) {
        return client.preparedQuery("select 1 from link_revocation where tenant = $1 and subject = $2")
                .execute(Tuple.of(tenant, subject)).map(rows -> rows.size() > 0);
    }

    /**
     * Settles the revocation asked for at {@code requestedAt}; a newer request stays owed. Answers the attempts that
     * had failed before, or null when there was nothing to settle.
     */
    public Uni<Integer> completeLinkRevocation(SqlClient tx, String tenant, String subject, Instant requestedAt) {
        return tx.preparedQuery("delete from link_revocation where tenant = $1 and subject = $2 and requested_at <= $3"
                        + " returning attempts")
                .execute(Tuple.of(tenant, subject, utc(requestedAt)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger("attempts"));
    }

    /**
     * Counts a failed attempt and sets when the next may come: {@code base} after the first failure, doubling after
     * each further one, never more than {@code max} (the SET reads {@code attempts} as it was before this failure).
     */
    public Uni<Void> failLinkRevocation(SqlClient client, String tenant, String subject, String error, Instant now,
            java.time.Duration base, java.time.Duration max) {
        return client.preparedQuery("update link_revocation set attempts = attempts + 1, last_error = $3,"
                        + " next_attempt_at = $4 + least(make_interval(secs => $5 * power(2, least(attempts, 20))),"
                        + " make_interval(secs => $6)) where tenant = $1 and subject = $2")
                .execute(Tuple.from(new Object[] {tenant, subject, error, utc(now), (double) base.toMillis() / 1000,
                        (double) max.toMillis() / 1000}))
                .replaceWithVoid();
    }

    /** How many link revocations are owed, all users together. */
    public Uni<Integer> countOwed(SqlClient client) {
        return client.query("select count(*) from link_revocation").execute()
                .map(rows -> rows.iterator().next().getInteger(0));
    }

    /**
     * Takes up to {@code limit} owed revocations whose time has come, pushing their next attempt to {@code leaseUntil}
     * so that no other replica takes them meanwhile (SKIP LOCKED: replicas take disjoint rows).
     */
    public Uni<List<PendingRevocation>> claimDue(SqlClient tx, Instant now, Instant leaseUntil, int limit) {
        return tx.preparedQuery("update link_revocation set next_attempt_at = $2 where (tenant, subject) in ("
                        + " select tenant, subject from link_revocation where next_attempt_at <= $1"
                        + " order by next_attempt_at limit $3 for update skip locked)"
                        + " returning tenant, subject, requested_at, requested_by, attempts")
                .execute(Tuple.of(utc(now), utc(leaseUntil), limit)).map(DisabledUserRepository::pending);
    }

    private static List<PendingRevocation> pending(RowSet<Row> rows) {
        List<PendingRevocation> owed = new ArrayList<>(rows.size());
        rows.forEach(row -> owed.add(new PendingRevocation(row.getString("tenant"), row.getString("subject"),
                row.getOffsetDateTime("requested_at").toInstant(), row.getString("requested_by"),
                row.getInteger("attempts"))));
        return owed;
    }

    private static DisabledUser read(Row row) {
        return new DisabledUser(row.getString("subject"), row.getOffsetDateTime("disabled_at").toInstant(),
                row.getString("disabled_by"), row.getString("reason"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
