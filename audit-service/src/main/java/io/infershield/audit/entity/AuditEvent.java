package io.infershield.audit.entity;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/**
 * One stored event envelope. Rows are written only by the idempotent native insert in
 * {@link io.infershield.audit.repository.AuditEventRepository} and never change afterwards.
 */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    public UUID id;

    public String type;

    public int version;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    public String tenant;

    public String subject;

    /** The Kafka topic the event was read from. */
    public String topic;

    /** The event body, a JSON object; the column is {@code jsonb}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode body;

    /** When audit-service stored the event. */
    @Column(name = "received_at")
    public Instant receivedAt;
}
