package io.infershield.auth.repository;

import io.infershield.auth.entity.LinkSession;
import io.infershield.auth.entity.LinkState;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.mutiny.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Link sessions, on plain SQL: flows end on the upstream HTTP client's threads, outside any Hibernate session, and
 * every change is one conditional UPDATE whose row count says whether it happened, so a cancel and a flow's end cannot
 * both win. Leases ({@code claimed_by}, {@code lease_until}) make sure one replica polls each pending session.
 */
@ApplicationScoped
public class LinkSessionRepository {

    private static final String COLUMNS = """
            id, tenant, subject, provider, state, device_code_ciphertext, user_code, verification_uri,
            verification_uri_complete, interval_seconds, expires_at, error, created_at, updated_at""";
    /** What ending a session clears: the device code, and the claim on it. */
    private static final String END = "device_code_ciphertext = null, claimed_by = null, lease_until = null";

    public Uni<Void> insert(SqlClient tx, LinkSession session, String claimedBy, Instant leaseUntil) {
        return tx.preparedQuery("insert into link_session (" + COLUMNS + ", claimed_by, lease_until)"
                        + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)")
                .execute(Tuple.from(Arrays.asList(session.id(), session.tenant(), session.subject(), session.provider(),
                        session.state().name(),
                        io.vertx.core.buffer.Buffer.buffer(session.deviceCodeCiphertext()), session.userCode(),
                        session.verificationUri(), session.verificationUriComplete(), session.intervalSeconds(),
                        utc(session.expiresAt()), session.error(), utc(session.createdAt()), utc(session.updatedAt()),
                        claimedBy, utc(leaseUntil))))
                .replaceWithVoid();
    }

    /** The session, if it belongs to {@code subject} of {@code tenant}; null otherwise, so others' sessions stay unseen. */
    public Uni<LinkSession> findOwned(SqlClient client, UUID id, String tenant, String subject) {
        return client.preparedQuery("select " + COLUMNS + " from link_session where id = $1 and tenant = $2 and subject = $3")
                .execute(Tuple.of(id, tenant, subject))
                .map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    /** The owner's pending sessions, oldest first. */
    public Uni<List<LinkSession>> findPending(SqlClient client, String tenant, String subject) {
        return client.preparedQuery("select " + COLUMNS + " from link_session"
                        + " where tenant = $1 and subject = $2 and state = 'PENDING' order by created_at")
                .execute(Tuple.of(tenant, subject)).map(LinkSessionRepository::readAll);
    }

    /** The newest session that linked {@code provider} for the owner, or null. */
    public Uni<UUID> findLatestLinked(SqlClient client, String tenant, String subject, String provider) {
        return client.preparedQuery("select id from link_session where tenant = $1 and subject = $2 and provider = $3"
                        + " and state = 'LINKED' order by updated_at desc limit 1")
                .execute(Tuple.of(tenant, subject, provider))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("id"));
    }

    /** Cancels the owner's pending sessions of {@code provider}; answers the ids it cancelled. */
    public Uni<List<UUID>> cancelPending(SqlClient tx, String tenant, String subject, String provider, Instant now) {
        return tx.preparedQuery("update link_session set state = 'CANCELLED', updated_at = $4, " + END
                        + " where tenant = $1 and subject = $2 and provider = $3 and state = 'PENDING' returning id")
                .execute(Tuple.of(tenant, subject, provider, utc(now))).map(LinkSessionRepository::ids);
    }

    /** A session a disable cancelled. */
    public record CancelledSession(UUID id, String provider) {
    }

    /** Cancels every pending session of the owner, of any provider; answers each it cancelled. */
    public Uni<List<CancelledSession>> cancelAllPending(SqlClient tx, String tenant, String subject, Instant now) {
        return tx.preparedQuery("update link_session set state = 'CANCELLED', updated_at = $3, " + END
                        + " where tenant = $1 and subject = $2 and state = 'PENDING' returning id, provider")
                .execute(Tuple.of(tenant, subject, utc(now))).map(rows -> {
                    List<CancelledSession> cancelled = new ArrayList<>(rows.size());
                    rows.forEach(row -> cancelled.add(new CancelledSession(row.getUUID("id"), row.getString("provider"))));
                    return cancelled;
                });
    }

    /**
     * Ends a pending session in {@code state}; true for exactly one caller, however many race (a cancel against the
     * flow's own end, or two replicas).
     */
    public Uni<Boolean> end(SqlClient tx, UUID id, LinkState state, String error, Instant now) {
        return tx.preparedQuery("update link_session set state = $2, error = $3, updated_at = $4, " + END
                        + " where id = $1 and state = 'PENDING'")
                .execute(Tuple.of(id, state.name(), error, utc(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Extends this replica's claims; answers the sessions still pending and claimed by it. */
    public Uni<List<UUID>> renewLeases(SqlClient client, String claimedBy, Instant leaseUntil) {
        return client.preparedQuery("update link_session set lease_until = $2"
                        + " where claimed_by = $1 and state = 'PENDING' returning id")
                .execute(Tuple.of(claimedBy, utc(leaseUntil))).map(LinkSessionRepository::ids);
    }

    /**
     * Claims up to {@code limit} pending sessions nobody holds (never claimed, released, or whose claim lapsed).
     * SKIP LOCKED: replicas resuming at once take disjoint sessions.
     */
    public Uni<List<LinkSession>> claimUnheld(SqlClient tx, String claimedBy, Instant now, Instant leaseUntil, int limit) {
        return tx.preparedQuery("update link_session set claimed_by = $1, lease_until = $3 where id in ("
                        + " select id from link_session where state = 'PENDING'"
                        + " and (lease_until is null or lease_until < $2)"
                        + " order by created_at limit $4 for update skip locked) returning " + COLUMNS)
                .execute(Tuple.of(claimedBy, utc(now), utc(leaseUntil), limit)).map(LinkSessionRepository::readAll);
    }

    /** Gives up this replica's claims, so that another replica (or this one after a restart) resumes at once. */
    public Uni<Integer> release(SqlClient client, String claimedBy) {
        return client.preparedQuery("update link_session set claimed_by = null, lease_until = null"
                        + " where claimed_by = $1 and state = 'PENDING'")
                .execute(Tuple.of(claimedBy)).map(RowSet::rowCount);
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> ids = new ArrayList<>(rows.size());
        rows.forEach(row -> ids.add(row.getUUID("id")));
        return ids;
    }

    private static List<LinkSession> readAll(RowSet<Row> rows) {
        List<LinkSession> sessions = new ArrayList<>(rows.size());
        rows.forEach(row -> sessions.add(read(row)));
        return sessions;
    }

    private static LinkSession read(Row row) {
        Buffer ciphertext = row.getBuffer("device_code_ciphertext");
        return new LinkSession(row.getUUID("id"), row.getString("tenant"), row.getString("subject"),
                row.getString("provider"), LinkState.valueOf(row.getString("state")),
                ciphertext == null ? null : ciphertext.getBytes(), row.getString("user_code"),
                row.getString("verification_uri"), row.getString("verification_uri_complete"),
                row.getInteger("interval_seconds"), instant(row.getOffsetDateTime("expires_at")), row.getString("error"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
