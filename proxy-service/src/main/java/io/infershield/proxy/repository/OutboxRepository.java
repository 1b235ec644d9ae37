package io.infershield.proxy.repository;

import io.infershield.proxy.entity.OutboxEvent;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The outbox of proxy-events. A policy change adds its event with {@link #persist} in its own Hibernate transaction; a
 * finished request adds its event with {@link #insert} on the pool, outside any session (the end handler of a Vert.x
 * route has none). The relay reads, marks and deletes rows with plain SQL.
 */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    private static final String INSERT = "insert into outbox_event (id, topic, payload, created_at) values ($1, $2, $3, $4)";
    // Any constant works: the database is proxy-service's own, and this is its only advisory lock.
    private static final long RELAY_LOCK = 0x70726f78796f7574L;
    private static final String TRY_LOCK_RELAY = "select pg_try_advisory_xact_lock($1) as locked";
    private static final String UNPUBLISHED = """
            select id, topic, payload from outbox_event where published_at is null order by seq limit $1""";
    private static final String MARK_PUBLISHED = "update outbox_event set published_at = $2 where id = any($1::uuid[])";
    private static final String DELETE_PUBLISHED_BEFORE = """
            delete from outbox_event where id in (
                select id from outbox_event where published_at < $1 limit $2 for update skip locked)""";

    /** An event the relay is about to publish. */
    public record Unpublished(UUID id, String topic, String payload) {
    }

    /** Adds an event on {@code client}: the pool (a transaction of its own) or a connection inside a transaction. */
    public Uni<Void> insert(SqlClient client, OutboxEvent event) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.of(event.id, event.topic, event.payload, event.createdAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /**
     * Makes {@code tx} the only relay run across all replicas until it ends, or answers false when another run holds
     * that place. One run at a time is what keeps events in seq order on the topic; row locks with SKIP LOCKED would let
     * replicas publish batches side by side, out of order.
     */
    public Uni<Boolean> tryLockRelay(SqlClient tx) {
        return tx.preparedQuery(TRY_LOCK_RELAY).execute(Tuple.of(RELAY_LOCK))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** Up to {@code limit} unpublished events, oldest first. */
    public Uni<List<Unpublished>> unpublished(SqlClient tx, int limit) {
        return tx.preparedQuery(UNPUBLISHED).execute(Tuple.of(limit)).map(rows -> {
            List<Unpublished> events = new ArrayList<>(rows.size());
            for (Row row : rows) {
                events.add(new Unpublished(row.getUUID("id"), row.getString("topic"), row.getString("payload")));
            }
            return events;
        });
    }

    public Uni<Void> markPublished(SqlClient tx, List<UUID> ids, Instant now) {
        return tx.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(ids.toArray(UUID[]::new), now.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Deletes up to {@code limit} events published before {@code cutoff}; answers how many. */
    public Uni<Integer> deletePublishedBefore(SqlClient client, Instant cutoff, int limit) {
        return client.preparedQuery(DELETE_PUBLISHED_BEFORE).execute(Tuple.of(cutoff.atOffset(ZoneOffset.UTC), limit))
                .map(rows -> rows.rowCount());
    }
}
