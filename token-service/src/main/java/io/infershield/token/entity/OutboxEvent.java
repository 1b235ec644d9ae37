package io.infershield.token.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An event waiting in the transactional outbox: written with the access it reports, published later by the relay.
 * Its id is the envelope's id, so a redelivery after a crash carries the same id.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    public UUID id;

    public String topic;

    /** The serialized event envelope, exactly as it goes on the wire. */
    public String payload;

    @Column(name = "created_at")
    public Instant createdAt;
}
