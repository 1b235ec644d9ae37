package io.infershield.token.repository;

import io.infershield.token.entity.OutboxEvent;
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
 * The transactional outbox. Changes made through Hibernate add their event with {@link #persist}; changes made on a
 * plain SQL connection add it with {@link #insert} on that connection, so either way the event commits or rolls back
 * with the access it reports.
 */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEvent, UUID> {

    private static final String INSERT = "insert into outbox_event (id, topic, payload, created_at) values ($1, $2, $3, $4)";
    // SKIP LOCKED: replicas running the relay at once take disjoint batches instead of publishing the same rows twice
    private static final String LOCK_UNPUBLISHED = """
            select id, topic, payload from outbox_event where published_at is null
            order by seq limit $1 for update skip locked""";
    private static final String MARK_PUBLISHED = "update outbox_event set published_at = $2 where id = any($1::uuid[])";

    /** An event the relay has locked for publishing. */
    public record Unpublished(UUID id, String topic, String payload) {
    }

    /** Adds an event on {@code tx}, a connection inside the transaction of the change it reports. */
    public Uni<Void> insert(SqlClient tx, OutboxEvent event) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(event.id, event.topic, event.payload, event.createdAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Locks up to {@code limit} unpublished events, oldest first, until {@code tx} ends. */
    public Uni<List<Unpublished>> lockUnpublished(SqlClient tx, int limit) {
        return tx.preparedQuery(LOCK_UNPUBLISHED).execute(Tuple.of(limit)).map(rows -> {
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
}
