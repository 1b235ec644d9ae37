package io.infershield.auth.messaging;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.repository.OutboxRepository;
import io.infershield.auth.repository.OutboxRepository.Unpublished;
import io.infershield.events.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the outbox to Kafka: reads unpublished events in order, sends each and waits for the broker's
 * acknowledgement ({@code acks=all}), then marks it published in the same transaction that locked it. When Kafka is
 * down the rows stay unpublished and the next run tries again, so nothing is lost; an event whose ack was lost may be
 * sent twice, which consumers absorb by deduplicating on the envelope id.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    static final int BATCH = 100;

    private final Pool pool;
    private final OutboxRepository outbox;
    private final MutinyEmitter<String> emitter;
    private final AuthConfig.Outbox config;
    private final Clock clock;
    /** One run at a time per replica; a tick that finds the previous run still going skips. */
    private final AtomicBoolean running = new AtomicBoolean();

    OutboxRelay(Pool pool, OutboxRepository outbox, @Channel(Topics.AUTH_EVENTS) MutinyEmitter<String> emitter,
                AuthConfig config, Clock clock) {
        this.pool = pool;
        this.outbox = outbox;
        this.emitter = emitter;
        this.config = config.outbox();
        this.clock = clock;
    }

    // a Vert.x timer rather than quarkus-scheduler: one periodic task does not need another extension
    void start(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(config.pollInterval().toMillis(), id -> runOnce());
    }

    private void runOnce() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        publishPending().onTermination().invoke(() -> running.set(false)).subscribe().with(
                published -> { },
                failure -> LOG.warnf("outbox relay run failed, will retry: %s", failure.getMessage()));
    }

    /**
     * Publishes unpublished events batch by batch, until a batch is short or a send fails; answers how many it
     * published.
     */
    public Uni<Integer> publishPending() {
        return publishBatch().flatMap(published -> published == BATCH
                ? publishPending().map(more -> published + more)
                : Uni.createFrom().item(published));
    }

    private Uni<Integer> publishBatch() {
        return pool.withTransaction(tx -> outbox.lockUnpublished(tx, BATCH)
                .flatMap(events -> sendInOrder(events)
                        .flatMap(sent -> sent.isEmpty()
                                ? Uni.createFrom().item(0)
                                : outbox.markPublished(tx, sent, clock.instant()).replaceWith(sent.size()))));
    }

    /** Sends one event after the other; the first failure ends the batch, keeping what was acknowledged before it. */
    private Uni<List<UUID>> sendInOrder(List<Unpublished> events) {
        return Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(event -> send(event).replaceWith(event.id()))
                .onFailure().invoke(failure -> LOG.warnf("auth event not acknowledged, will retry: %s", failure.getMessage()))
                .onFailure().recoverWithCompletion()
                .collect().asList();
    }

    private Uni<Void> send(Unpublished event) {
        Message<String> message = Message.of(event.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(event.topic())
                        .withKey(Topics.recordKeyOf(event.payload())).build());
        return emitter.sendMessage(message).ifNoItem().after(config.sendTimeout()).fail();
    }
}
