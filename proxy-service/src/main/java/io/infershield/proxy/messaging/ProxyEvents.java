package io.infershield.proxy.messaging;

import io.infershield.events.EventEnvelope;
import io.infershield.events.ProxyRequestCompleted;
import io.infershield.events.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Publishes proxy-service's events on {@code proxy-events}, waiting for the broker's acknowledgement. */
@ApplicationScoped
public class ProxyEvents {

    private static final Logger LOG = Logger.getLogger(ProxyEvents.class);

    private final MutinyEmitter<EventEnvelope<ProxyRequestCompleted>> emitter;

    ProxyEvents(@Channel(Topics.PROXY_EVENTS) MutinyEmitter<EventEnvelope<ProxyRequestCompleted>> emitter) {
        this.emitter = emitter;
    }

    public void requestCompleted(String tenant, String subject, ProxyRequestCompleted body) {
        EventEnvelope<ProxyRequestCompleted> event = EventEnvelope.of(ProxyRequestCompleted.TYPE,
                ProxyRequestCompleted.VERSION, tenant, subject, body);
        emitter.send(event).subscribe().with(
                ok -> { },
                e -> LOG.errorf("event %s for request %s was not delivered: %s", event.id(), body.requestId(), e.getMessage()));
    }
}
