package io.infershield.token.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.events.EventEnvelope;
import io.infershield.events.EventJson;
import io.infershield.events.TokenEvent;
import io.infershield.events.Topics;
import io.infershield.token.entity.OutboxEvent;
import io.infershield.token.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Records token-events in the outbox (no dual writes: the relay publishes them once the transaction has committed).
 * A body names the actor, provider, purpose and outcome, never a token, a ciphertext or a hash of either; the envelope's
 * subject is the user whose token it is, {@code null} for a tenant's org key.
 */
@ApplicationScoped
public class TokenEvents {

    private static final ObjectMapper JSON = EventJson.mapper();

    private final Clock clock;
    private final OutboxRepository outbox;
    private final Pool pool;

    TokenEvents(Clock clock, OutboxRepository outbox, Pool pool) {
        this.clock = clock;
        this.outbox = outbox;
        this.pool = pool;
    }

    /** One event to record: its type, whose token, and the body. */
    public record Entry(String type, String tenant, String subject, TokenEvent body) {
    }

    /** Adds an event to the current Hibernate transaction. */
    public Uni<Void> record(Entry entry) {
        return outbox.persist(toOutbox(entry)).replaceWithVoid();
    }

    /** Adds an event to the transaction of {@code tx}, for accesses made on a plain SQL connection. */
    public Uni<Void> record(SqlClient tx, Entry entry) {
        return outbox.insert(tx, toOutbox(entry));
    }

    /** Records an event in a transaction of its own: for reads and failures that change nothing else. */
    public Uni<Void> recordAlone(Entry entry) {
        return pool.withTransaction(tx -> record(tx, entry));
    }

    private OutboxEvent toOutbox(Entry entry) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        EventEnvelope<TokenEvent> envelope = new EventEnvelope<>(UUID.randomUUID(), entry.type(), TokenEvent.VERSION, now,
                entry.tenant(), entry.subject(), entry.body());
        OutboxEvent event = new OutboxEvent();
        event.id = envelope.id();
        event.topic = Topics.TOKEN_EVENTS;
        event.createdAt = now;
        try {
            event.payload = JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            // records of strings always serialize; failing here would be a programming error
            throw new IllegalStateException("token event " + entry.type() + " did not serialize", e);
        }
        return event;
    }
}
