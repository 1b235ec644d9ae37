package io.infershield.proxy.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * An event waiting in the outbox for the relay to publish it. Its id is the envelope's id, so a redelivery after a lost
 * acknowledgement carries the same id. {@code seq} (the publishing order) and {@code published_at} belong to the relay
 * and are not mapped.
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
