package io.infershield.proxy.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.events.EventEnvelope;
import io.infershield.events.PolicyChanged;
import io.infershield.events.ProxyRequestCompleted;
import io.infershield.events.ToolPinningChanged;
import io.infershield.events.Topics;
import io.infershield.proxy.entity.OutboxEvent;
import io.infershield.proxy.repository.OutboxRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Records proxy-service's events in the outbox, from which {@link OutboxRelay} publishes them on {@code proxy-events}.
 * Both event types share the table and the topic; the envelope's {@code type} tells the bodies apart.
 */
@ApplicationScoped
public class ProxyEvents {

    private static final Logger LOG = Logger.getLogger(ProxyEvents.class);

    private final OutboxRepository outbox;
    private final OutboxRelay relay;
    private final Pool pool;
    // Quarkus's own mapper, the one the channel's ObjectMapperSerializer used before the outbox: the JSON on the topic
    // stays what it was
    private final ObjectMapper json;

    ProxyEvents(OutboxRepository outbox, OutboxRelay relay, Pool pool, ObjectMapper json) {
        this.outbox = outbox;
        this.relay = relay;
        this.pool = pool;
        this.json = json;
    }

    /**
     * Writes the event of a finished request to the outbox, in a transaction of its own. Nothing waits for it: the client
     * has its answer already. When the database refuses it, the event goes to Kafka directly; a failure is logged with
     * the event's id and the request's, never the event's content.
     */
    public void requestCompleted(String tenant, String subject, ProxyRequestCompleted body) {
        EventEnvelope<Object> envelope = EventEnvelope.of(ProxyRequestCompleted.TYPE, ProxyRequestCompleted.VERSION,
                tenant, subject, body);
        OutboxEvent event;
        try {
            event = toOutbox(envelope);
        } catch (RuntimeException e) {
            // called from a route's end handler: nothing there could handle it
            LOG.errorf("event %s for request %s was lost: %s", envelope.id(), body.requestId(),
                    OutboxRelay.reason(e));
            return;
        }
        outbox.insert(pool, event).subscribe().with(
                ok -> { },
                e -> {
                    LOG.warnf("event %s for request %s: the outbox did not take it, sending it to Kafka directly: %s",
                            event.id, body.requestId(), OutboxRelay.reason(e));
                    relay.sendDirectly(event).subscribe().with(
                            sent -> { },
                            f -> LOG.errorf("event %s for request %s was lost: neither the outbox nor Kafka took it: %s",
                                    event.id, body.requestId(), OutboxRelay.reason(f)));
                });
    }

    /**
     * Adds the event of a policy change to the current Hibernate transaction, so that it commits or rolls back with the
     * change: an audited change and its event are one write.
     */
    public Uni<Void> policyChanged(String tenant, String admin, PolicyChanged body) {
        return outbox.persist(toOutbox(EventEnvelope.of(PolicyChanged.TYPE, PolicyChanged.VERSION, tenant, admin, body)))
                .replaceWithVoid();
    }

    /** Adds the event of a tool-pinning change to the current Hibernate transaction, as {@link #policyChanged} does. */
    public Uni<Void> toolPinningChanged(String tenant, String admin, ToolPinningChanged body) {
        return outbox.persist(toOutbox(EventEnvelope.of(ToolPinningChanged.TYPE, ToolPinningChanged.VERSION, tenant,
                admin, body))).replaceWithVoid();
    }

    private OutboxEvent toOutbox(EventEnvelope<?> envelope) {
        OutboxEvent event = new OutboxEvent();
        event.id = envelope.id();
        event.topic = Topics.PROXY_EVENTS;
        event.createdAt = envelope.occurredAt();
        try {
            event.payload = json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            // records of strings, numbers and enums always serialize; failing here would be a programming error
            throw new IllegalStateException("event " + envelope.type() + " did not serialize", e);
        }
        return event;
    }
}
