package io.infershield.token.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Provider links over plain SQL, for the paths that lock rows ({@code SELECT … FOR UPDATE}) while they talk to a
 * provider: a Hibernate session cannot be shared by the requests that wait on one refresh, a pooled connection can.
 */
@ApplicationScoped
public class LinkRows {

    /** The ciphertexts of one row, all sealed under {@code keyVersion} (null fields: no such token). */
    public record Seals(String keyVersion, String access, String refresh, String derived) {
    }

    /** Everything written when a link is stored or replaced. */
    public record NewLink(String tenant, String subject, String provider, String state, String brokenReason,
                          String scopes, String tokenType, Seals seals, Instant accessExpiresAt, Instant derivedExpiresAt,
                          Instant derivedRefreshAt, String apiBase, Instant now, Instant nextRefreshAt) {
    }

    /** A link after a refresh: new ciphertexts and the times that drive the next one. */
    public record Refreshed(Seals seals, Instant accessExpiresAt, Instant derivedExpiresAt, Instant derivedRefreshAt,
                            String apiBase, Instant now, Instant nextRefreshAt) {
    }

    // Replacing a link bumps credential_version, so a caller holding the old token's version cannot refresh the new one.
    private static final String UPSERT = """
            insert into provider_link (tenant, subject, provider, state, broken_reason, scopes, token_type, key_version,
                access_ciphertext, refresh_ciphertext, derived_ciphertext, access_expires_at, derived_expires_at,
                derived_refresh_at, api_base, linked_at, last_refresh_at, next_refresh_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $16)
            on conflict (tenant, subject, provider) do update set
                state = excluded.state, broken_reason = excluded.broken_reason, scopes = excluded.scopes,
                token_type = excluded.token_type, key_version = excluded.key_version,
                access_ciphertext = excluded.access_ciphertext, refresh_ciphertext = excluded.refresh_ciphertext,
                derived_ciphertext = excluded.derived_ciphertext, access_expires_at = excluded.access_expires_at,
                derived_expires_at = excluded.derived_expires_at, derived_refresh_at = excluded.derived_refresh_at,
                api_base = excluded.api_base, linked_at = excluded.linked_at, last_refresh_at = excluded.last_refresh_at,
                next_refresh_at = excluded.next_refresh_at, updated_at = excluded.updated_at,
                credential_version = provider_link.credential_version + 1
            returning\s""" + LinkRow.COLUMNS;
    private static final String FIND = "select " + LinkRow.COLUMNS
            + " from provider_link where tenant = $1 and subject = $2 and provider = $3";
    private static final String SAVE_REFRESHED = """
            update provider_link set key_version = $2, access_ciphertext = $3, refresh_ciphertext = $4,
                derived_ciphertext = $5, access_expires_at = $6, derived_expires_at = $7, derived_refresh_at = $8,
                api_base = $9, last_refresh_at = $10, next_refresh_at = $11, updated_at = $10,
                credential_version = credential_version + 1
            where id = $1
            returning\s""" + LinkRow.COLUMNS;
    private static final String MARK_BROKEN = """
            update provider_link set state = 'broken', broken_reason = $2, next_refresh_at = null, updated_at = $3
            where id = $1""";
    private static final String DUE = "select " + LinkRow.COLUMNS + """
             from provider_link where state = 'linked' and next_refresh_at <= $1
            order by next_refresh_at limit $2""";
    private static final String STALE = "select " + LinkRow.COLUMNS
            + " from provider_link where key_version <> $1 order by id limit $2 for update skip locked";
    // Only if nothing changed the row since it was read: a refresh that raced the rotation already re-sealed it.
    private static final String RESEAL = """
            update provider_link set key_version = $3, access_ciphertext = $4, refresh_ciphertext = $5,
                derived_ciphertext = $6
            where id = $1 and credential_version = $2""";

    public Uni<LinkRow> upsert(SqlClient tx, NewLink link) {
        Seals s = link.seals();
        return tx.preparedQuery(UPSERT).execute(Tuple.from(new Object[] {link.tenant(), link.subject(), link.provider(),
                        link.state(), link.brokenReason(), link.scopes(), link.tokenType(), s.keyVersion(), s.access(),
                        s.refresh(), s.derived(), utc(link.accessExpiresAt()), utc(link.derivedExpiresAt()),
                        utc(link.derivedRefreshAt()), link.apiBase(), utc(link.now()),
                        link.derivedExpiresAt() == null ? null : utc(link.now()), utc(link.nextRefreshAt())}))
                .map(LinkRows::first);
    }

    /** The link, or null. */
    public Uni<LinkRow> find(SqlClient client, String tenant, String subject, String provider) {
        return client.preparedQuery(FIND).execute(Tuple.of(tenant, subject, provider)).map(LinkRows::first);
    }

    /** The link, locked until {@code tx} ends (other replicas' refreshes wait here), or null. */
    public Uni<LinkRow> lock(SqlClient tx, String tenant, String subject, String provider) {
        return tx.preparedQuery(FIND + " for update").execute(Tuple.of(tenant, subject, provider)).map(LinkRows::first);
    }

    public Uni<LinkRow> saveRefreshed(SqlClient tx, long id, Refreshed r) {
        Seals s = r.seals();
        return tx.preparedQuery(SAVE_REFRESHED).execute(Tuple.from(new Object[] {id, s.keyVersion(), s.access(),
                        s.refresh(), s.derived(), utc(r.accessExpiresAt()), utc(r.derivedExpiresAt()),
                        utc(r.derivedRefreshAt()), r.apiBase(), utc(r.now()), utc(r.nextRefreshAt())}))
                .map(LinkRows::first);
    }

    public Uni<Void> markBroken(SqlClient tx, long id, String reason, Instant now) {
        return tx.preparedQuery(MARK_BROKEN).execute(Tuple.of(id, reason, utc(now))).replaceWithVoid();
    }

    /** Linked rows whose refresh time has come, soonest first. */
    public Uni<List<LinkRow>> due(SqlClient client, Instant now, int limit) {
        return client.preparedQuery(DUE).execute(Tuple.of(utc(now), limit)).map(LinkRows::all);
    }

    /** Rows sealed under a key version other than {@code current}, locked until {@code tx} ends. */
    public Uni<List<LinkRow>> lockStale(SqlClient tx, String current, int limit) {
        return tx.preparedQuery(STALE).execute(Tuple.of(current, limit)).map(LinkRows::all);
    }

    /** @return whether the row was re-sealed (false: it changed since it was read) */
    public Uni<Boolean> reseal(SqlClient tx, long id, long credentialVersion, Seals seals) {
        return tx.preparedQuery(RESEAL).execute(Tuple.from(new Object[] {id, credentialVersion, seals.keyVersion(),
                        seals.access(), seals.refresh(), seals.derived()}))
                .map(rows -> rows.rowCount() == 1);
    }

    private static LinkRow first(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        var it = rows.iterator();
        return it.hasNext() ? LinkRow.of(it.next()) : null;
    }

    private static List<LinkRow> all(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        List<LinkRow> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(LinkRow.of(row)));
        return out;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
