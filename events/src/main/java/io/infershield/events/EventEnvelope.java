package io.infershield.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The one envelope of every InferShield event on Kafka, as documented for SIEM consumers in docs/events.md.
 *
 * <p>Consumers are idempotent on {@link #id()}. {@link #type()} names the body's shape and {@link #version()} its
 * revision: a consumer that meets a version it does not know keeps the envelope and ignores the body.
 * Raw secrets, raw prompts and raw credentials never go into a body: only findings, hashes and counts do.
 *
 * @param id         unique id of this event, stable across redeliveries
 * @param type       dotted event type, for example {@code proxy.request.completed}
 * @param version    revision of the body schema for this type, starting at 1
 * @param occurredAt when the fact happened (not when it was published), UTC, millisecond precision
 * @param tenant     the tenant the subject belongs to
 * @param subject    the user the event is about, or {@code null} for system events
 * @param body       the typed body
 * @param <B>        the body type; consumers that do not know it read it as a JSON tree
 */
public record EventEnvelope<B>(UUID id, String type, int version, Instant occurredAt, String tenant, String subject, B body) {

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(body, "body");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1");
        }
    }

    /** A new event about {@code subject} that happened now. */
    public static <B> EventEnvelope<B> of(String type, int version, String tenant, String subject, B body) {
        return new EventEnvelope<>(UUID.randomUUID(), type, version, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                tenant, subject, body);
    }
}
