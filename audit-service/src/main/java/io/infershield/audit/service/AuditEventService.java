package io.infershield.audit.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.entity.AuditEvent;
import io.infershield.audit.repository.AuditEventRepository;
import io.infershield.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/** The audit store: records consumed events once and lists them back as envelopes. */
@ApplicationScoped
public class AuditEventService {

    private final AuditEventRepository repository;

    AuditEventService(AuditEventRepository repository) {
        this.repository = repository;
    }

    /**
     * Stores {@code event}, read from {@code topic}, in its own transaction. The returned {@link Uni} completes only
     * after the commit, so a caller that acknowledges on completion never acknowledges an event that is not stored.
     *
     * @return {@code true} if it was new, {@code false} if an event with the same id was stored before
     */
    @WithTransaction
    public Uni<Boolean> record(EventEnvelope<JsonNode> event, String topic) {
        return repository.insertIfAbsent(event, topic, Instant.now());
    }

    /** The stored events that match {@code filter}, newest first. */
    @WithSession
    public Uni<List<EventEnvelope<JsonNode>>> search(EventFilter filter) {
        return repository.search(filter).map(rows -> rows.stream().map(AuditEventService::toEnvelope).toList());
    }

    private static EventEnvelope<JsonNode> toEnvelope(AuditEvent row) {
        return new EventEnvelope<>(row.id, row.type, row.version, row.occurredAt, row.tenant, row.subject, row.body);
    }
}
