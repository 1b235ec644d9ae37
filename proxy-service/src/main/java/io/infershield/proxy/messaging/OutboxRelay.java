package io.infershield.proxy.messaging;

import io.infershield.events.Topics;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.entity.OutboxEvent;
import io.infershield.proxy.repository.OutboxRepository;
import io.infershield.proxy.repository.OutboxRepository.Unpublished;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the outbox to Kafka: reads unpublished events in seq order, hands them to the producer in that order, and
 * marks as published the events the broker has acknowledged ({@code acks=all}) up to the first that it has not. When
 * Kafka is down the rows stay unpublished and a later run tries again, so nothing is lost; an event whose
 * acknowledgement was lost, or that the producer delivered after the relay stopped waiting, is sent again, and
 * consumers absorb that by deduplicating on the envelope id.
 *
 * <p>One run at a time across all replicas (an advisory lock, see {@link OutboxRepository#tryLockRelay}), so the topic
 * receives the events in the order they were written.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Events per transaction; below the emitter's buffer (128 by default), which holds a whole batch at once. */
    static final int BATCH = 100;
    /** Rows per delete statement of the clean-up, so that no statement holds many locks or runs long. */
    static final int CLEANUP_BATCH = 1000;
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    private final Pool pool;
    private final OutboxRepository outbox;
    private final MutinyEmitter<String> emitter;
    private final ProxyConfig.Outbox config;
    /** One run at a time in this replica; a tick that finds the previous run still going skips. */
    private final AtomicBoolean running = new AtomicBoolean();
    /**
     * Set when a send failed: runs then send the oldest event alone until the broker acknowledges it, so that an outage
     * does not fill the producer with copies of whole batches that it would deliver, all duplicates, on recovery.
     */
    private volatile boolean probing;
    /** Set when a run failed as a whole (the database, not the broker), so that an outage is not logged on every run. */
    private volatile boolean failing;
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private final AtomicLong lastWarning = new AtomicLong();

    OutboxRelay(Pool pool, OutboxRepository outbox, @Channel(Topics.PROXY_EVENTS) MutinyEmitter<String> emitter,
                ProxyConfig config) {
        this.pool = pool;
        this.outbox = outbox;
        this.emitter = emitter;
        this.config = config.outbox();
    }

    // Vert.x timers rather than quarkus-scheduler: two periodic tasks do not need another extension
    void start(@Observes StartupEvent started, Vertx vertx) {
        timers.add(vertx.setPeriodic(config.pollInterval().toMillis(), id -> runOnce()));
        timers.add(vertx.setPeriodic(config.cleanupInterval().toMillis(), id -> cleanUp().subscribe().with(
                deleted -> { },
                failure -> LOG.warnf("outbox clean-up failed, will retry: %s", reason(failure)))));
    }

    // so that a run does not start on a pool that is closing; rows it would have published wait for the next start
    void stop(@Observes ShutdownEvent stopping, Vertx vertx) {
        timers.forEach(vertx::cancelTimer);
    }

    private void runOnce() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        publishPending().onTermination().invoke(() -> running.set(false)).subscribe().with(
                published -> {
                    if (failing) {
                        LOG.info("outbox relay runs again");
                        failing = false;
                    }
                },
                failure -> {
                    LOG.logf(level(failing), "outbox relay run failed, will retry: %s", reason(failure));
                    failing = true;
                });
    }

    /** Publishes unpublished events batch by batch, until none is left or a send fails; answers how many it published. */
    public Uni<Integer> publishPending() {
        return publishBatch().flatMap(batch -> batch.more()
                ? publishPending().map(more -> batch.published() + more)
                : Uni.createFrom().item(batch.published()));
    }

    /** What one batch did, and whether another may find more to publish. */
    private record Batch(int published, boolean more) {
    }

    private Uni<Batch> publishBatch() {
        int limit = probing ? 1 : BATCH;
        return pool.withTransaction(tx -> outbox.tryLockRelay(tx).flatMap(locked -> !locked
                ? Uni.createFrom().item(new Batch(0, false))
                : outbox.unpublished(tx, limit).flatMap(events -> sendInOrder(events).flatMap(sent -> {
                    Batch batch = new Batch(sent.size(), events.size() == limit && sent.size() == limit);
                    return sent.isEmpty()
                            ? Uni.createFrom().item(batch)
                            : outbox.markPublished(tx, sent, Instant.now()).replaceWith(batch);
                }))));
    }

    /**
     * Hands every event to the producer at once, in seq order, then answers the ids acknowledged before the first that
     * was not. Waiting for each acknowledgement before the next send would cap the relay at one event per broker round
     * trip, and a gateway writes one event per request; the idempotent producer keeps the order of the sends within a
     * partition and batches them.
     */
    private Uni<List<UUID>> sendInOrder(List<Unpublished> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // Uni.join subscribes in list order, and subscribing is what hands a message to the emitter
        List<Uni<Optional<Throwable>>> outcomes = events.stream()
                .map(event -> send(event).onItemOrFailure().transform((ok, failure) -> Optional.ofNullable(failure)))
                .toList();
        return Uni.join().all(outcomes).andFailFast().map(results -> {
            List<UUID> acknowledged = new ArrayList<>(events.size());
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).isPresent()) {
                    LOG.logf(level(probing), "proxy event %s not acknowledged, will retry: %s", events.get(i).id(),
                            reason(results.get(i).get()));
                    probing = true;
                    return acknowledged;
                }
                acknowledged.add(events.get(i).id());
            }
            if (probing) {
                LOG.info("the broker acknowledges proxy events again: publishing the outbox");
                probing = false;
            }
            return acknowledged;
        });
    }

    /**
     * Deletes the events published longer than {@code proxy.outbox.retention} ago; answers how many. Unpublished events
     * are never deleted, however old.
     */
    public Uni<Integer> cleanUp() {
        Instant cutoff = Instant.now().minus(config.retention());
        return deleteBatch(cutoff);
    }

    private Uni<Integer> deleteBatch(Instant cutoff) {
        return outbox.deletePublishedBefore(pool, cutoff, CLEANUP_BATCH).flatMap(deleted -> deleted == CLEANUP_BATCH
                ? deleteBatch(cutoff).map(more -> deleted + more)
                : Uni.createFrom().item(deleted));
    }

    /**
     * Sends an event the outbox could not take straight to Kafka, once and out of turn, and completes when the broker
     * has acknowledged it. The gateway keeps serving while its database is away (each replica holds the policies in
     * memory), so its audit events should not be lost with the database while Kafka could take them.
     */
    public Uni<Void> sendDirectly(OutboxEvent event) {
        return send(new Unpublished(event.id, event.topic, event.payload));
    }

    /**
     * WARN for the first failure of an outage and once a minute while it lasts, DEBUG in between: runs fail every poll
     * interval until the broker or the database is back, and an event the broker refuses for good (one larger than the
     * topic takes) holds up all behind it, which must stay visible without flooding the log.
     */
    private Logger.Level level(boolean ongoing) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (!ongoing || now - last >= WARN_EVERY.toNanos()) {
            lastWarning.set(now);
            return Logger.Level.WARN;
        }
        return Logger.Level.DEBUG;
    }

    /** What went wrong, for a log line: the message, or the type when there is none (a timeout has none). */
    static String reason(Throwable failure) {
        return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    private Uni<Void> send(Unpublished event) {
        Message<String> message = Message.of(event.payload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(event.topic())
                        .withKey(Topics.recordKeyOf(event.payload())).build());
        return emitter.sendMessage(message).ifNoItem().after(config.sendTimeout()).fail();
    }
}
