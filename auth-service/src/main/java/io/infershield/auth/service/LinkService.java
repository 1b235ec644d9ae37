package io.infershield.auth.service;

import io.infershield.auth.client.TokenVault;
import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.entity.LinkSession;
import io.infershield.auth.entity.LinkState;
import io.infershield.auth.link.Delayer;
import io.infershield.auth.link.DeviceAuthorizationResponse;
import io.infershield.auth.link.DeviceFlow;
import io.infershield.auth.link.DeviceFlowPoller;
import io.infershield.auth.link.LinkOutcome;
import io.infershield.auth.link.ProviderAdapter;
import io.infershield.auth.link.UpstreamHttp;
import io.infershield.auth.repository.LinkSessionRepository;
import io.infershield.auth.service.CredentialService.CredentialOwner;
import io.infershield.events.LinkEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Links developers' upstream accounts: starts a device flow with the provider, keeps the session in the database,
 * polls until it ends, and hands the tokens to token-service. Every step is an {@code auth.link.*} event in the same
 * transaction as the change it reports.
 * <p>
 * Each pending session is polled by exactly one replica, the one holding its lease. A replica renews its leases
 * every {@code auth.link.resume-interval}, stops flows whose session ended elsewhere (a cancel served by another
 * replica), and resumes pending sessions nobody holds: those of a replica that stopped, or died.
 */
@ApplicationScoped
public class LinkService {

    private static final Logger LOG = Logger.getLogger(LinkService.class);
    /** What the event schema allows as a provider name and as an error code (events/event-envelope.schema.json). */
    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
    /** The reason of a session whose tokens token-service did not take. */
    public static final String TOKEN_STORE_FAILED = "token_store_failed";
    private static final int RESUME_BATCH = 100;

    private final String replica = "auth-" + UUID.randomUUID();
    private final AuthConfig.Link config;
    private final Clock clock;
    private final Pool pool;
    private final LinkSessionRepository sessions;
    private final AuthEvents events;
    private final TokenVault vault;
    private final LinkStateCipher cipher;
    private final DisabledUsers disabledUsers;
    private final DeviceFlowPoller poller;
    private final Map<String, ProviderAdapter> providers;
    private final Map<UUID, DeviceFlow> running = new ConcurrentHashMap<>();
    private final AtomicBoolean maintaining = new AtomicBoolean();

    LinkService(AuthConfig config, Clock clock, Delayer delayer, Pool pool, LinkSessionRepository sessions,
            AuthEvents events, TokenVault vault, LinkStateCipher cipher, DisabledUsers disabledUsers) {
        this.disabledUsers = disabledUsers;
        this.config = config.link();
        this.clock = clock;
        this.pool = pool;
        this.sessions = sessions;
        this.events = events;
        this.vault = vault;
        this.cipher = cipher;
        this.poller = new DeviceFlowPoller(clock, delayer, this.config.maxBackoff());
        UpstreamHttp http = new UpstreamHttp(this.config.requestTimeout());
        this.providers = this.config.providers().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> {
                    if (!PROVIDER_NAME.matcher(entry.getKey()).matches()) {
                        throw new IllegalStateException("auth.link.providers: the name '" + entry.getKey()
                                + "' must match " + PROVIDER_NAME.pattern());
                    }
                    return ProviderAdapter.of(entry.getKey(), entry.getValue(), http);
                }));
    }

    /** A user's links: token-service's metadata, and the sessions still waiting for approval. */
    public record Links(List<TokenVault.LinkMetadata> linked, List<LinkSession> pending) {
    }

    // a Vert.x timer rather than quarkus-scheduler, as for the outbox relay
    void start(@Observes StartupEvent started, Vertx vertx) {
        runMaintenance();
        vertx.setPeriodic(config.resumeInterval().toMillis(), id -> runMaintenance());
    }

    /** Hands this replica's sessions over at once, instead of when their leases lapse. */
    void stop(@Observes ShutdownEvent stopping) {
        running.keySet().forEach(this::stopLocally);
        try {
            sessions.release(pool, replica).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warnf("link sessions not released, they resume when their leases lapse: %s", e.getMessage());
        }
    }

    /**
     * Starts linking {@code provider} for {@code owner}. A pending session of the same provider is cancelled first.
     *
     * @return the new session; fails with {@link UnknownLink} for a provider that is not configured, with
     *         {@link io.infershield.auth.link.ProviderRefused} when the provider does not start a flow, and with
     *         {@link UserDisabled} for a disabled user
     */
    public Uni<LinkSession> start(CredentialOwner owner, String provider) {
        ProviderAdapter adapter = providers.get(provider);
        if (adapter == null) {
            return Uni.createFrom().failure(new UnknownLink("No provider of that name is configured."));
        }
        return pool.withTransaction(tx -> disabledUsers.requireEnabled(tx, owner.subject())
                        .chain(() -> cancelPending(tx, owner, provider)))
                .chain(() -> Uni.createFrom().completionStage(adapter::authorize)
                        .onFailure(CompletionException.class).transform(Throwable::getCause))
                .chain(authorization -> {
                    UUID id = UUID.randomUUID();
                    // what the answer shows is what the database keeps, which stores microseconds
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    LinkSession session = new LinkSession(id, owner.tenant(), owner.subject(), provider,
                            LinkState.PENDING, cipher.encrypt(id, authorization.deviceCode()),
                            authorization.userCode(), authorization.verificationUri().toString(),
                            authorization.verificationUriComplete().map(URI::toString).orElse(null),
                            Math.toIntExact(authorization.interval().toSeconds()),
                            now.plus(authorization.expiresIn()), null, now, now);
                    // checked again under the user's lock: a disable that came meanwhile cancels no session it
                    // cannot see, so none may be written after it
                    return pool.withTransaction(tx -> disabledUsers.requireEnabled(tx, owner.subject())
                                    .chain(() -> sessions.insert(tx, session, replica, now.plus(config.lease())))
                                    .call(() -> events.record(tx, LinkEvent.STARTED, owner.subject(),
                                            new LinkEvent(id, provider, null))))
                            .invoke(() -> poll(session, adapter, authorization))
                            .replaceWith(session);
                });
    }

    /** The owner's session; fails with {@link UnknownLink} for an unknown session or another user's. */
    public Uni<LinkSession> find(CredentialOwner owner, UUID id) {
        return sessions.findOwned(pool, id, owner.tenant(), owner.subject()).map(session -> {
            if (session == null) {
                throw new UnknownLink("No link session with this id.");
            }
            return session;
        });
    }

    /** Cancels the owner's session if it is pending, with the upstream request in flight; an ended one stays as it is. */
    public Uni<Void> cancel(CredentialOwner owner, UUID id) {
        return pool.withTransaction(tx -> sessions.findOwned(tx, id, owner.tenant(), owner.subject())
                        .chain(session -> {
                            if (session == null) {
                                return Uni.createFrom().failure(new UnknownLink("No link session with this id."));
                            }
                            return sessions.end(tx, id, LinkState.CANCELLED, null, clock.instant())
                                    .call(cancelled -> cancelled
                                            ? events.record(tx, LinkEvent.CANCELLED, owner.subject(),
                                                    new LinkEvent(id, session.provider(), null))
                                            : Uni.createFrom().voidItem());
                        }))
                .invoke(() -> stopLocally(id))
                .replaceWithVoid();
    }

    /** The owner's links; fails with {@link TokenVault.Unavailable} when token-service cannot answer. */
    public Uni<Links> list(CredentialOwner owner) {
        return vault.list(owner.tenant(), owner.subject())
                .chain(linked -> sessions.findPending(pool, owner.tenant(), owner.subject())
                        .map(pending -> new Links(linked, pending)));
    }

    /**
     * Cancels a pending session of {@code provider} and removes the owner's link from token-service.
     *
     * @return fails with {@link UnknownLink} when there was neither, and with {@link TokenVault.Unavailable} when
     *         token-service cannot answer
     */
    public Uni<Void> remove(CredentialOwner owner, String provider) {
        return pool.withTransaction(tx -> cancelPending(tx, owner, provider))
                .chain(cancelled -> vault.delete(owner.tenant(), owner.subject(), provider)
                        .chain(deleted -> {
                            if (deleted) {
                                return pool.withTransaction(tx -> sessions.findLatestLinked(tx, owner.tenant(),
                                                owner.subject(), provider)
                                        // a link auth-service has no session for still gets an id of its own
                                        .chain(linkId -> events.record(tx, LinkEvent.DELETED, owner.subject(),
                                                new LinkEvent(linkId == null ? UUID.randomUUID() : linkId, provider,
                                                        null))));
                            }
                            return cancelled.isEmpty()
                                    ? Uni.createFrom().failure(new UnknownLink("No link or pending session for this provider."))
                                    : Uni.createFrom().voidItem();
                        }));
    }

    /**
     * Renews this replica's leases, stops flows whose session ended elsewhere, and resumes pending sessions nobody
     * holds; runs at startup and then every {@code auth.link.resume-interval}.
     *
     * @return how many sessions this run resumed
     */
    public Uni<Integer> resumePending() {
        Instant now = clock.instant();
        Instant leaseUntil = now.plus(config.lease());
        return sessions.renewLeases(pool, replica, leaseUntil)
                .invoke(held -> {
                    Set<UUID> stillHeld = Set.copyOf(held);
                    running.keySet().stream().filter(id -> !stillHeld.contains(id)).toList()
                            .forEach(this::stopLocally);
                })
                .chain(() -> pool.withTransaction(tx -> sessions.claimUnheld(tx, replica, now, leaseUntil, RESUME_BATCH)))
                .chain(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(this::resume)
                        .collect().asList()
                        .map(resumed -> (int) resumed.stream().filter(Boolean::booleanValue).count()));
    }

    private void runMaintenance() {
        if (!maintaining.compareAndSet(false, true)) {
            return;
        }
        resumePending().onTermination().invoke(() -> maintaining.set(false)).subscribe().with(
                resumed -> {
                    if (resumed > 0) {
                        LOG.infof("resumed %d pending link sessions", resumed);
                    }
                },
                failure -> LOG.warnf("link session maintenance failed, will retry: %s", failure.getMessage()));
    }

    /** Polls a claimed session again, or ends it when it can no longer succeed. */
    private Uni<Boolean> resume(LinkSession session) {
        if (running.containsKey(session.id())) {
            return Uni.createFrom().item(false);
        }
        ProviderAdapter adapter = providers.get(session.provider());
        Duration left = Duration.between(clock.instant(), session.expiresAt());
        if (adapter == null) {
            // the provider was removed from the configuration while the session waited
            return end(session, LinkState.FAILED, "provider_not_configured").replaceWith(false);
        }
        if (left.isNegative() || left.isZero()) {
            return end(session, LinkState.EXPIRED, null).replaceWith(false);
        }
        DeviceAuthorizationResponse authorization;
        try {
            authorization = new DeviceAuthorizationResponse(cipher.decrypt(session.id(), session.deviceCodeCiphertext()),
                    session.userCode(), URI.create(session.verificationUri()),
                    Optional.ofNullable(session.verificationUriComplete()).map(URI::create), left,
                    Duration.ofSeconds(session.intervalSeconds()));
        } catch (IllegalStateException e) {
            // another state key, or a tampered row: the flow cannot go on, and saying so beats polling forever
            LOG.warn(e.getMessage());
            return end(session, LinkState.FAILED, "state_unreadable").replaceWith(false);
        }
        poll(session, adapter, authorization);
        return Uni.createFrom().item(true);
    }

    private void poll(LinkSession session, ProviderAdapter adapter, DeviceAuthorizationResponse authorization) {
        DeviceFlow flow = poller.start(authorization, adapter.transport(authorization));
        running.put(session.id(), flow);
        flow.outcome().whenComplete((outcome, failure) -> {
            running.remove(session.id(), flow);
            conclude(session, outcome).subscribe().with(ignored -> { },
                    error -> LOG.warnf("link session %s did not record its end: %s", session.id(), error.getMessage()));
        });
    }

    private Uni<Void> conclude(LinkSession session, LinkOutcome outcome) {
        if (outcome instanceof LinkOutcome.Success success) {
            return vault.store(session.tenant(), session.subject(), session.provider(), success)
                    .replaceWith(true)
                    .onFailure().recoverWithItem(failure -> {
                        LOG.warnf("link session %s: token-service did not store the tokens: %s", session.id(),
                                failure.getClass().getSimpleName());
                        return false;
                    })
                    .chain(stored -> stored
                            ? end(session, LinkState.LINKED, null).chain(ended -> ended
                                    ? Uni.createFrom().voidItem()
                                    : withdraw(session))
                            : end(session, LinkState.FAILED, TOKEN_STORE_FAILED).replaceWithVoid());
        }
        if (outcome instanceof LinkOutcome.Denied) {
            return end(session, LinkState.DENIED, null).replaceWithVoid();
        }
        if (outcome instanceof LinkOutcome.Expired) {
            return end(session, LinkState.EXPIRED, null).replaceWithVoid();
        }
        if (outcome instanceof LinkOutcome.Failed failed) {
            String error = ERROR_CODE.matcher(failed.error()).matches() ? failed.error() : LinkOutcome.INVALID_RESPONSE;
            return end(session, LinkState.FAILED, error).replaceWithVoid();
        }
        // Cancelled: whoever cancelled recorded it, or the session moved to another replica
        return Uni.createFrom().voidItem();
    }

    /**
     * The session ended (was cancelled) while its tokens were on their way to token-service. If its user was disabled
     * meanwhile, the disable's revocation of all their links may have run before this store landed: the link must not
     * outlive the disable, so it is removed again. A developer's own cancel keeps the link, as it always has.
     */
    private Uni<Void> withdraw(LinkSession session) {
        return disabledUsers.isDisabled(session.subject()).chain(disabled -> {
            if (!disabled) {
                return Uni.createFrom().voidItem();
            }
            LOG.infof("link session %s: its user was disabled while its tokens were stored; removing the link",
                    session.id());
            return vault.delete(session.tenant(), session.subject(), session.provider()).replaceWithVoid();
        }).onFailure().invoke(failure -> LOG.warnf("link session %s: a link stored after its user was disabled may"
                        + " remain: %s", session.id(), failure.getClass().getSimpleName()))
                .onFailure().recoverWithNull();
    }

    /** True when this call ended the session; false when it had already ended (a cancel got there first). */
    private Uni<Boolean> end(LinkSession session, LinkState state, String error) {
        return pool.withTransaction(tx -> sessions.end(tx, session.id(), state, error, clock.instant())
                .call(ended -> ended
                        ? events.record(tx, eventType(state), session.subject(),
                                new LinkEvent(session.id(), session.provider(), error))
                        : Uni.createFrom().voidItem()));
    }

    private Uni<List<UUID>> cancelPending(SqlClient tx, CredentialOwner owner, String provider) {
        return sessions.cancelPending(tx, owner.tenant(), owner.subject(), provider, clock.instant())
                .call(cancelled -> Multi.createFrom().iterable(cancelled)
                        .onItem().transformToUniAndConcatenate(id -> events.record(tx, LinkEvent.CANCELLED,
                                owner.subject(), new LinkEvent(id, provider, null)))
                        .collect().asList())
                .invoke(cancelled -> cancelled.forEach(this::stopLocally));
    }

    /** Stops the flows of sessions ended elsewhere in this replica (a disable); other replicas notice at their next renewal. */
    void stopLocally(List<UUID> ids) {
        ids.forEach(this::stopLocally);
    }

    private void stopLocally(UUID id) {
        DeviceFlow flow = running.remove(id);
        if (flow != null) {
            flow.cancel();
        }
    }

    private static String eventType(LinkState state) {
        return switch (state) {
            case LINKED -> LinkEvent.LINKED;
            case DENIED -> LinkEvent.DENIED;
            case EXPIRED -> LinkEvent.EXPIRED;
            case FAILED -> LinkEvent.FAILED;
            case CANCELLED -> LinkEvent.CANCELLED;
            case PENDING -> throw new IllegalArgumentException("a session does not end pending");
        };
    }
}
