package io.infershield.auth.service;

import io.infershield.auth.client.TokenVault;
import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.repository.DisabledUserRepository;
import io.infershield.auth.repository.DisabledUserRepository.DisabledUser;
import io.infershield.auth.repository.DisabledUserRepository.PendingRevocation;
import io.infershield.auth.repository.DisabledUserRepository.RefusedGrant;
import io.infershield.auth.repository.DisabledUserRepository.RevokedCredential;
import io.infershield.auth.repository.LinkSessionRepository;
import io.infershield.auth.repository.LinkSessionRepository.CancelledSession;
import io.infershield.events.AuthEvent;
import io.infershield.events.LinkEvent;
import io.infershield.events.UserEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Disabling and enabling users: the CISO's kill switch for a developer who left or lost a laptop.
 * <p>
 * A disable is one database transaction, under the user's lock: the user is marked disabled, every credential of theirs
 * is revoked, the device grants they claimed or approved are refused, their pending link sessions are cancelled, each
 * change is an event in the outbox, and a revocation of their provider links is recorded as owed. From its commit on,
 * introspection answers inactive for every credential of theirs, so the proxy refuses them on their next request.
 * Only then is token-service asked to revoke the links: its answer settles what is owed; while it does not answer, the
 * revocation stays owed and every replica retries it with back-off, so a token-service outage delays it but cannot
 * lose it.
 */
@ApplicationScoped
public class UserAdministration {

    private static final Logger LOG = Logger.getLogger(UserAdministration.class);
    private static final int RETRY_BATCH = 20;
    /** Prometheus: {@code infershield_auth_link_revocations_owed}. */
    static final String OWED_GAUGE = "infershield.auth.link.revocations.owed";

    private final AuthConfig config;
    private final AuthConfig.Disable disable;
    private final Clock clock;
    private final Pool pool;
    private final DisabledUserRepository users;
    private final LinkSessionRepository sessions;
    private final LinkService links;
    private final TokenVault vault;
    private final AuthEvents events;
    /** One retry run at a time per replica. */
    private final AtomicBoolean retrying = new AtomicBoolean();
    /** The owed revocations as the last retry run counted them, for the SRE's alert on a revocation that never ends. */
    private final AtomicInteger owed;

    UserAdministration(AuthConfig config, Clock clock, Pool pool, DisabledUserRepository users,
            LinkSessionRepository sessions, LinkService links, TokenVault vault, AuthEvents events,
            MeterRegistry registry) {
        this.owed = registry.gauge(OWED_GAUGE, new AtomicInteger());
        this.config = config;
        this.disable = config.disable();
        this.clock = clock;
        this.pool = pool;
        this.users = users;
        this.sessions = sessions;
        this.links = links;
        this.vault = vault;
        this.events = events;
    }

    /**
     * What a disable did.
     *
     * @param credentialsRevoked the credentials that could still have been used and were revoked by this call
     * @param linksRevoked       the provider links token-service revoked for this call; null while that is owed
     */
    public record Disabled(String subject, Instant disabledAt, int credentialsRevoked, Integer linksRevoked) {
    }

    /** Where a user stands. */
    public record Status(String subject, DisabledUser disabled, int activeCredentials, boolean linkRevocationPending) {
    }

    /** What the disable transaction did, before token-service is asked. */
    private record Committed(DisabledUser state, int credentialsRevoked, List<UUID> cancelledSessions,
            boolean linksOwed) {
    }

    // a Vert.x timer rather than quarkus-scheduler, as for the outbox relay
    void start(@Observes StartupEvent started, Vertx vertx) {
        vertx.setPeriodic(disable.retryInterval().toMillis(), id -> runRetries());
    }

    /**
     * Disables {@code subject} on behalf of the administrator {@code actor}. Idempotent: disabling a disabled user keeps
     * the first disable's time, administrator and reason, revokes whatever was issued since (nothing, normally), and
     * asks token-service again. A subject never seen before can be disabled: SSO users exist before their first login.
     *
     * @return what this call revoked; fails with {@link LinkRevocationPending} when the disable took effect here but
     *         token-service did not confirm the links' revocation
     */
    public Uni<Disabled> disable(String subject, String actor, String reason) {
        String tenant = config.tenant();
        // what the answer shows is what the database keeps, which stores microseconds
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean linksOwed = TokenVault.mayHoldLinks(subject);
        return pool.withTransaction(tx -> users.lock(tx, tenant, subject)
                        .chain(() -> users.insert(tx, tenant, subject, now, actor, reason))
                        .chain(newly -> users.find(tx, tenant, subject)
                                .chain(state -> revokeEverything(tx, tenant, subject, actor, reason, now, newly)
                                        .map(done -> new Committed(state, done.credentialsRevoked(),
                                                done.cancelledSessions(), linksOwed))))
                        .call(committed -> linksOwed
                                ? users.requestLinkRevocation(tx, tenant, subject, actor, now)
                                : Uni.createFrom().voidItem()))
                .invoke(committed -> {
                    links.stopLocally(committed.cancelledSessions());
                    LOG.infof("Disabled user tenant=%s subject=%s actor=%s credentialsRevoked=%d", tenant, subject,
                            actor, committed.credentialsRevoked());
                })
                .chain(committed -> {
                    Disabled done = new Disabled(subject, committed.state().disabledAt(),
                            committed.credentialsRevoked(), 0);
                    if (!committed.linksOwed()) {
                        return Uni.createFrom().item(done);
                    }
                    return revokeLinks(new PendingRevocation(tenant, subject, now, actor, 0))
                            .map(revoked -> new Disabled(subject, done.disabledAt(), done.credentialsRevoked(), revoked))
                            .onFailure(TokenVault.Unavailable.class).recoverWithUni(unavailable -> owe(tenant, subject,
                                    (TokenVault.Unavailable) unavailable)
                                    .chain(() -> Uni.createFrom().failure(new LinkRevocationPending(
                                            new Disabled(subject, done.disabledAt(), done.credentialsRevoked(), null)))));
                });
    }

    /** What the transaction revoked and cancelled. */
    private record Revoked(int credentialsRevoked, List<UUID> cancelledSessions) {
    }

    private Uni<Revoked> revokeEverything(SqlClient tx, String tenant, String subject, String actor, String reason,
            Instant now, boolean newly) {
        return users.revokeCredentials(tx, subject, now)
                .call(revoked -> recordRevocations(tx, subject, revoked))
                .chain(revoked -> users.refuseGrants(tx, subject, now)
                        .call(refused -> Multi.createFrom().iterable(refused)
                                .onItem().transformToUniAndConcatenate(grant -> events.record(tx,
                                        AuthEvent.DEVICE_DENIED, subject, refusedGrant(grant)))
                                .collect().asList())
                        .chain(refused -> sessions.cancelAllPending(tx, tenant, subject, now)
                                .call(cancelled -> Multi.createFrom().iterable(cancelled)
                                        .onItem().transformToUniAndConcatenate(session -> events.record(tx,
                                                LinkEvent.CANCELLED, subject,
                                                new LinkEvent(session.id(), session.provider(), null)))
                                        .collect().asList())
                                .chain(cancelled -> {
                                    int live = (int) revoked.stream().filter(RevokedCredential::live).count();
                                    Revoked done = new Revoked(live,
                                            cancelled.stream().map(CancelledSession::id).toList());
                                    // a repeated disable is not news: what it revoked has events of its own
                                    return (newly ? events.record(tx, UserEvent.DISABLED, subject, UserEvent.disabled(
                                            actor, reason, live, refused.size(), cancelled.size()))
                                            : Uni.createFrom().voidItem()).replaceWith(done);
                                })));
    }

    private static AuthEvent refusedGrant(RefusedGrant grant) {
        return new AuthEvent(grant.clientId(), grant.id(), null, null, AuthEvent.REASON_USER_DISABLED, null);
    }

    /**
     * One {@code auth.credential.revoked} per device family and per personal key that still held a usable credential,
     * as an administrator's revocation reports them; expired and exchanged leftovers are revoked silently.
     */
    private Uni<Void> recordRevocations(SqlClient tx, String subject, List<RevokedCredential> revoked) {
        Map<UUID, RevokedCredential> firstOfFamily = new LinkedHashMap<>();
        revoked.stream().filter(RevokedCredential::live).forEach(c -> firstOfFamily.putIfAbsent(c.familyId(), c));
        return Multi.createFrom().iterable(firstOfFamily.values())
                .onItem().transformToUniAndConcatenate(first -> events.record(tx, AuthEvent.CREDENTIAL_REVOKED,
                        subject, "PERSONAL_KEY".equals(first.kind())
                                ? new AuthEvent(first.clientId(), null, first.id(), AuthEvent.PERSONAL_KEY,
                                        AuthEvent.REASON_USER_DISABLED, null)
                                : new AuthEvent(first.clientId(), first.familyId(), null, null,
                                        AuthEvent.REASON_USER_DISABLED, null)))
                .collect().asList().replaceWithVoid();
    }

    /**
     * Asks token-service to revoke the user's links and settles the owed revocation; reports the count once
     * token-service has confirmed it, when it revoked something or when earlier attempts had failed.
     */
    private Uni<Integer> revokeLinks(PendingRevocation owed) {
        return vault.revokeAll(owed.tenant(), owed.subject())
                .call(revoked -> pool.withTransaction(tx -> users.completeLinkRevocation(tx, owed.tenant(),
                                owed.subject(), owed.requestedAt())
                        .call(failedBefore -> failedBefore != null && (revoked > 0 || failedBefore > 0)
                                ? events.record(tx, UserEvent.LINKS_REVOKED, owed.subject(),
                                        UserEvent.linksRevoked(owed.requestedBy(), revoked))
                                : Uni.createFrom().voidItem())))
                .invoke(revoked -> LOG.infof("token-service revoked %d links of tenant=%s subject=%s", revoked,
                        owed.tenant(), owed.subject()));
    }

    private Uni<Void> owe(String tenant, String subject, TokenVault.Unavailable unavailable) {
        LOG.warnf("Revocation of the links of tenant=%s subject=%s is owed, token-service: %s; it will be retried",
                tenant, subject, unavailable.reason());
        return users.failLinkRevocation(pool, tenant, subject, unavailable.reason(), clock.instant(),
                disable.retryInterval(), max(disable.retryInterval(), disable.maxBackoff()));
    }

    private static java.time.Duration max(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Enables {@code subject} again; nothing is restored. True when they were disabled. */
    public Uni<Boolean> enable(String subject, String actor) {
        String tenant = config.tenant();
        return pool.withTransaction(tx -> users.lock(tx, tenant, subject)
                .chain(() -> users.delete(tx, tenant, subject))
                .call(was -> was ? events.record(tx, UserEvent.ENABLED, subject, UserEvent.enabled(actor))
                        : Uni.createFrom().voidItem()))
                .invoke(was -> {
                    if (was) {
                        LOG.infof("Enabled user tenant=%s subject=%s actor=%s", tenant, subject, actor);
                    }
                });
    }

    /** Whether {@code subject} is disabled, how many live credentials they hold, and whether a revocation is owed. */
    public Uni<Status> status(String subject) {
        String tenant = config.tenant();
        return users.find(pool, tenant, subject)
                .chain(disabled -> users.countLiveCredentials(pool, subject, clock.instant())
                        .chain(live -> users.linkRevocationPending(pool, tenant, subject)
                                .map(pending -> new Status(subject, disabled, live, pending))));
    }

    /**
     * Retries the link revocations owed whose time has come, one after the other, then counts what is still owed
     * (gauge {@code infershield_auth_link_revocations_owed}); runs every {@code auth.disable.retry-interval} on each
     * replica.
     *
     * @return how many were settled
     */
    public Uni<Integer> retryOwedLinkRevocations() {
        Instant now = clock.instant();
        // taken rows wait out more than one whole attempt before another replica may take them
        Instant leaseUntil = now.plus(disable.linkRevocationTimeout().multipliedBy(2));
        return pool.withTransaction(tx -> users.claimDue(tx, now, leaseUntil, RETRY_BATCH))
                .chain(owed -> Multi.createFrom().iterable(owed)
                        .onItem().transformToUniAndConcatenate(revocation -> revokeLinks(revocation).replaceWith(true)
                                .onFailure(TokenVault.Unavailable.class).recoverWithUni(unavailable -> owe(
                                        revocation.tenant(), revocation.subject(), (TokenVault.Unavailable) unavailable)
                                        .replaceWith(false)))
                        .collect().asList()
                        .map(settled -> (int) settled.stream().filter(Boolean::booleanValue).count()))
                .call(settled -> users.countOwed(pool).invoke(owed::set));
    }

    private void runRetries() {
        if (!retrying.compareAndSet(false, true)) {
            return;
        }
        retryOwedLinkRevocations().onTermination().invoke(() -> retrying.set(false)).subscribe().with(
                settled -> {
                    if (settled > 0) {
                        LOG.infof("settled %d owed link revocations", settled);
                    }
                },
                failure -> LOG.warnf("link revocation retry failed, will retry: %s", failure.getMessage()));
    }
}
