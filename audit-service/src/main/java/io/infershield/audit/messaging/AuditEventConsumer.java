package io.infershield.audit.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.audit.service.AuditEventService;
import io.infershield.events.EventEnvelope;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes every InferShield event topic (channel {@code audit-in}, see application.properties) into the audit store.
 *
 * <p>Delivery is at least once: a record is acknowledged only when {@link AuditEventService#record} has committed,
 * and the store ignores redeliveries by envelope id. A database failure fails the channel instead of skipping the
 * record, so that no event is lost; the Kafka liveness check then reports DOWN and a restart resumes from the last
 * committed offset.
 */
@ApplicationScoped
public class AuditEventConsumer {

    private static final Logger LOG = Logger.getLogger(AuditEventConsumer.class);

    private final AuditEventService service;
    private final MeterRegistry meters;

    AuditEventConsumer(AuditEventService service, MeterRegistry meters) {
        this.service = service;
        this.meters = meters;
    }

    @Incoming("audit-in")
    @Acknowledgment(Acknowledgment.Strategy.POST_PROCESSING)
    public Uni<Void> consume(ConsumerRecord<String, EventEnvelope<JsonNode>> record) {
        EventEnvelope<JsonNode> event = record.value();
        if (event == null) {
            // Coordinates only: the value is untrusted and may carry anything, secrets included.
            LOG.warnf("Skipped record %s-%d@%d: not a valid event envelope",
                    record.topic(), record.partition(), record.offset());
            meters.counter("infershield.audit.records.rejected", "topic", record.topic()).increment();
            return Uni.createFrom().voidItem();
        }
        return service.record(event, record.topic())
                .invoke(stored -> {
                    if (!stored) {
                        LOG.debugf("Event %s from %s was stored before; redelivery ignored", event.id(), record.topic());
                    }
                })
                .replaceWithVoid();
    }
}
