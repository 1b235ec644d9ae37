package io.infershield.audit.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.entity.AuditEvent;
import io.infershield.audit.service.EventFilter;
import io.infershield.events.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;

/** Reads and writes {@link AuditEvent} rows. */
@ApplicationScoped
public class AuditEventRepository implements PanacheRepositoryBase<AuditEvent, UUID> {

    // The double cast makes PostgreSQL type the parameter as text: typed as jsonb directly, the driver would encode
    // the Java string as a JSON string value instead of parsing it.
    // ON CONFLICT makes a redelivered envelope a no-op even when two consumers race on the same id,
    // which a read-then-persist could not guarantee without failing one of them on the primary key.
    private static final String INSERT_IF_ABSENT = """
            insert into audit_event (id, type, version, occurred_at, tenant, subject, topic, body, received_at)
            values (:id, :type, :version, :occurredAt, :tenant, :subject, :topic, cast(cast(:body as text) as jsonb), :receivedAt)
            on conflict (id) do nothing""";

    /**
     * Stores {@code event} unless an event with its id is stored already.
     *
     * @return {@code true} if a row was inserted, {@code false} for a duplicate
     */
    public Uni<Boolean> insertIfAbsent(EventEnvelope<JsonNode> event, String topic, Instant receivedAt) {
        return getSession().chain(session -> session.createNativeQuery(INSERT_IF_ABSENT)
                        .setParameter("id", event.id())
                        .setParameter("type", event.type())
                        .setParameter("version", event.version())
                        .setParameter("occurredAt", event.occurredAt().atOffset(ZoneOffset.UTC))
                        .setParameter("tenant", event.tenant())
                        .setParameter("subject", event.subject())
                        .setParameter("topic", topic)
                        .setParameter("body", event.body().toString())
                        .setParameter("receivedAt", receivedAt.atOffset(ZoneOffset.UTC))
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /** The events that match {@code filter}, newest first; the id breaks ties so that pages are stable. */
    public Uni<List<AuditEvent>> search(EventFilter filter) {
        StringJoiner where = new StringJoiner(" and ");
        Parameters params = new Parameters();
        if (filter.subject() != null) {
            where.add("subject = :subject");
            params.and("subject", filter.subject());
        }
        if (filter.type() != null) {
            where.add("type = :type");
            params.and("type", filter.type());
        }
        if (filter.tenant() != null) {
            where.add("tenant = :tenant");
            params.and("tenant", filter.tenant());
        }
        if (filter.from() != null) {
            where.add("occurredAt >= :from");
            params.and("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("occurredAt < :to");
            params.and("to", filter.to());
        }
        Sort newestFirst = Sort.descending("occurredAt", "id");
        return find(where.toString(), newestFirst, params).page(Page.ofSize(filter.limit())).list();
    }
}
