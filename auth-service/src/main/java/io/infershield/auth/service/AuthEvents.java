package io.infershield.auth.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.entity.OutboxEvent;
import io.infershield.auth.repository.OutboxRepository;
import io.infershield.events.AuthEvent;
import io.infershield.events.EventEnvelope;
import io.infershield.events.EventJson;
import io.infershield.events.LinkEvent;
import io.infershield.events.Topics;
import io.infershield.events.UserEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Records auth-events in the outbox, inside the caller's transaction (no dual writes: the relay publishes them once
 * the transaction has committed). Bodies name grants, credentials and link sessions by id only, never by a code, a credential or a token.
 */
@ApplicationScoped
public class AuthEvents {

    private static final ObjectMapper JSON = EventJson.mapper();

    private final AuthConfig config;
    private final Clock clock;
    private final OutboxRepository outbox;

    AuthEvents(AuthConfig config, Clock clock, OutboxRepository outbox) {
        this.config = config;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** Adds an event to the current Hibernate transaction. */
    public Uni<Void> record(String type, String subject, AuthEvent body) {
        return outbox.persist(toOutbox(type, subject, body)).replaceWithVoid();
    }

    /** Adds an event to the transaction of {@code tx}, for changes made on a plain SQL connection. */
    public Uni<Void> record(SqlClient tx, String type, String subject, AuthEvent body) {
        return outbox.insert(tx, toOutbox(type, AuthEvent.VERSION, subject, body));
    }

    /** Adds an {@code auth.link.*} event to the transaction of {@code tx}. */
    public Uni<Void> record(SqlClient tx, String type, String subject, LinkEvent body) {
        return outbox.insert(tx, toOutbox(type, LinkEvent.VERSION, subject, body));
    }

    /** Adds an {@code auth.user.*} event to the transaction of {@code tx}. */
    public Uni<Void> record(SqlClient tx, String type, String subject, UserEvent body) {
        return outbox.insert(tx, toOutbox(type, UserEvent.VERSION, subject, body));
    }

    private OutboxEvent toOutbox(String type, String subject, AuthEvent body) {
        return toOutbox(type, AuthEvent.VERSION, subject, body);
    }

    private <B> OutboxEvent toOutbox(String type, int version, String subject, B body) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        EventEnvelope<B> envelope = new EventEnvelope<>(UUID.randomUUID(), type, version, now, config.tenant(), subject,
                body);
        OutboxEvent event = new OutboxEvent();
        event.id = envelope.id();
        event.topic = Topics.AUTH_EVENTS;
        event.createdAt = now;
        try {
            event.payload = JSON.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            // records of strings and UUIDs always serialize; failing here would be a programming error
            throw new IllegalStateException("auth event " + type + " did not serialize", e);
        }
        return event;
    }
}
