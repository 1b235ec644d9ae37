package io.infershield.proxy.messaging;

import io.infershield.events.EventEnvelope;
import io.infershield.events.PolicyChanged;
import io.infershield.events.ProxyRequestCompleted;
import io.infershield.events.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes proxy-service's events on {@code proxy-events}, waiting for the broker's acknowledgement. One emitter for
 * both event types: a channel has one producer, and the envelope's {@code type} tells the bodies apart.
 */
@ApplicationScoped
public class ProxyEvents {

    private static final Logger LOG = Logger.getLogger(ProxyEvents.class);

    private final MutinyEmitter<EventEnvelope<Object>> emitter;

    ProxyEvents(@Channel(Topics.PROXY_EVENTS) MutinyEmitter<EventEnvelope<Object>> emitter) {
        this.emitter = emitter;
    }

    public void requestCompleted(String tenant, String subject, ProxyRequestCompleted body) {
        EventEnvelope<Object> event = EventEnvelope.of(ProxyRequestCompleted.TYPE, ProxyRequestCompleted.VERSION, tenant,
                subject, body);
        emitter.send(event).subscribe().with(
                ok -> { },
                e -> LOG.errorf("event %s for request %s was not delivered: %s", event.id(), body.requestId(), e.getMessage()));
    }

    /** Completes once the broker has the event: a policy change is only made when its audit event is delivered. */
    public Uni<Void> policyChanged(String tenant, String admin, PolicyChanged body) {
        return emitter.send(EventEnvelope.of(PolicyChanged.TYPE, PolicyChanged.VERSION, tenant, admin, body));
    }
}
