package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.config.TokenConfig;
import io.infershield.token.provider.ProviderClient;
import io.infershield.token.provider.ProviderException;
import io.infershield.token.repository.LinkRow;
import io.infershield.token.repository.LinkRows;
import io.infershield.token.vault.CiphertextRejectedException;
import io.infershield.token.vault.VaultUnavailableException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refreshes linked tokens, once (security checklist C.3): concurrent callers in this replica share one flight, and
 * flights of different replicas serialise on the row lock ({@code SELECT … FOR UPDATE}); the one that gets the lock
 * second sees the version it came to refresh already replaced and refreshes nothing. A waiter that goes away does not
 * cancel the flight the others wait on.
 *
 * <p>The new tokens, a rotated refresh token included, are saved in the transaction that holds the lock, before
 * anyone can use them (checklist C.4). A permanent provider error breaks the link; a transient one leaves it as it was.
 */
@ApplicationScoped
public class RefreshService {

    private static final Logger LOG = Logger.getLogger(RefreshService.class);

    /** Why a refresh is asked for, which decides whether the locked row still needs one. */
    public enum Trigger {
        /** A caller found the token due (at or past {@code refresh_in}, or about to expire). */
        EXPIRING,
        /** The upstream rejected the token (401): refresh even if it looks valid. */
        REJECTED,
        /** The scheduler found the link at its (jittered) refresh time. */
        SCHEDULED
    }

    /** The result of a flight. Failures that were audited come back as values, so that their events commit. */
    public sealed interface Outcome {
        /** The link as it now stands: refreshed by this flight or by another before it. */
        record Current(LinkRow row) implements Outcome {
        }

        /** The link is broken, now or from before. */
        record Broken(String reason) implements Outcome {
        }

        /** The provider could not be reached; the link is unchanged. */
        record Unavailable(String reason, LinkRow row) implements Outcome {
        }

        /** The link was deleted meanwhile. */
        record Gone() implements Outcome {
        }

        /** The vault failed or a ciphertext was rejected; the caller rethrows it. */
        record Failed(RuntimeException error) implements Outcome {
        }
    }

    private record FlightKey(String tenant, String subject, String provider, Trigger trigger) {
    }

    /** A provider's answer, in plaintext for the few moments until it is sealed. */
    private record Fresh(String access, String refresh, Instant accessExpiresAt, String derived, Instant derivedExpiresAt,
                         Instant derivedRefreshAt, String apiBase) {
        @Override
        public String toString() {
            return "Fresh[accessExpiresAt=" + accessExpiresAt + ", derivedExpiresAt=" + derivedExpiresAt + "]";
        }
    }

    private final ConcurrentHashMap<FlightKey, Uni<Outcome>> flights = new ConcurrentHashMap<>();
    private final Pool pool;
    private final LinkRows rows;
    private final Sealer sealer;
    private final ProviderClient providers;
    private final TokenConfig config;
    private final RefreshPolicy policy;
    private final TokenEvents events;
    private final Clock clock;

    RefreshService(Pool pool, LinkRows rows, Sealer sealer, ProviderClient providers, TokenConfig config,
                   RefreshPolicy policy, TokenEvents events, Clock clock) {
        this.pool = pool;
        this.rows = rows;
        this.sealer = sealer;
        this.providers = providers;
        this.config = config;
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Refreshes the link of {@code access} if it is still at {@code observedVersion} and {@code trigger} still holds
     * once the row is locked. Joins the flight already under way for the same link and trigger in this replica.
     */
    public Uni<Outcome> refresh(Access access, long observedVersion, Trigger trigger) {
        FlightKey key = new FlightKey(access.tenant(), access.subject(), access.provider(), trigger);
        return Uni.createFrom().deferred(() -> {
            AtomicReference<Uni<Outcome>> self = new AtomicReference<>();
            return flights.computeIfAbsent(key, k -> {
                Uni<Outcome> flight = locked(access, observedVersion, trigger)
                        .onTermination().invoke(() -> flights.remove(k, self.get()))
                        .memoize().indefinitely();
                self.set(flight);
                return flight;
            });
        });
    }

    private Uni<Outcome> locked(Access access, long observedVersion, Trigger trigger) {
        return pool.withTransaction(tx -> rows.lock(tx, access.tenant(), access.subject(), access.provider())
                .chain(row -> {
                    if (row == null) {
                        return Uni.createFrom().item(new Outcome.Gone());
                    }
                    if (row.broken()) {
                        return Uni.createFrom().item(new Outcome.Broken(row.brokenReason()));
                    }
                    Instant now = clock.instant();
                    if (row.credentialVersion() != observedVersion || !applies(trigger, row, now)) {
                        return Uni.createFrom().item(new Outcome.Current(row));
                    }
                    return upstream(access, row)
                            .chain(fresh -> save(tx, access, row, fresh, now))
                            .onFailure().recoverWithUni(e -> failed(tx, access, row, e, now));
                }));
    }

    private boolean applies(Trigger trigger, LinkRow row, Instant now) {
        return switch (trigger) {
            case EXPIRING -> policy.isDue(row, now);
            case REJECTED -> true;
            case SCHEDULED -> row.nextRefreshAt() != null && !now.isBefore(row.nextRefreshAt());
        };
    }

    private Uni<Fresh> upstream(Access access, LinkRow row) {
        TokenConfig.Provider provider = config.providers().get(row.provider());
        if (provider == null) {
            return Uni.createFrom().failure(ProviderException.transientFailure("provider_not_configured"));
        }
        if (provider.kind() == TokenConfig.ProviderKind.GITHUB) {
            return sealer.open(access, row.access())
                    .chain(github -> providers.copilotToken(row.provider(), provider, github)
                            .map(copilot -> new Fresh(github, null, row.accessExpiresAt(), copilot.token(),
                                    copilot.expiresAt(), copilot.refreshAt(), copilot.apiBase())));
        }
        if (row.refresh() == null) {
            return Uni.createFrom().failure(ProviderException.permanent("no_refresh_token"));
        }
        return sealer.open(access, row.refresh())
                .chain(refreshToken -> providers.refresh(row.provider(), provider, refreshToken)
                        // RFC 6749 §6: without a new refresh token the old one stays valid
                        .map(t -> new Fresh(t.accessToken(), t.refreshToken() != null ? t.refreshToken() : refreshToken,
                                t.expiresAt(), null, null, null, provider.apiBase().orElse(null))));
    }

    private Uni<Outcome> save(SqlClient tx, Access access, LinkRow row, Fresh fresh, Instant now) {
        Instant due = policy.due(fresh.accessExpiresAt(), fresh.refresh() != null, fresh.derivedRefreshAt());
        return sealer.sealAll(access, fresh.access(), fresh.refresh(), fresh.derived())
                .chain(seals -> rows.saveRefreshed(tx, row.id(), new LinkRows.Refreshed(seals, fresh.accessExpiresAt(),
                        fresh.derivedExpiresAt(), fresh.derivedRefreshAt(), fresh.apiBase(), now, policy.nextRefresh(due))))
                .call(saved -> events.record(tx, access.success(TokenEvent.REFRESHED, saved.keyVersion())))
                .invoke(saved -> LOG.infof("Refreshed tenant=%s user=%s provider=%s version=%d actor=%s",
                        access.tenant(), access.subject(), access.provider(), saved.credentialVersion(), access.actor()))
                .map(Outcome.Current::new);
    }

    private Uni<Outcome> failed(SqlClient tx, Access access, LinkRow row, Throwable e, Instant now) {
        if (e instanceof ProviderException p && p.permanent()) {
            LOG.warnf("Link broken tenant=%s user=%s provider=%s reason=%s", access.tenant(), access.subject(),
                    access.provider(), p.reason());
            return rows.markBroken(tx, row.id(), p.reason(), now)
                    .call(() -> events.record(tx, access.event(TokenEvent.REFRESHED, TokenEvent.OUTCOME_FAILED,
                            row.keyVersion(), p.reason())))
                    .call(() -> events.record(tx, access.event(TokenEvent.LINK_BROKEN, TokenEvent.OUTCOME_FAILED,
                            row.keyVersion(), p.reason())))
                    .replaceWith(new Outcome.Broken(p.reason()));
        }
        if (e instanceof ProviderException p) {
            LOG.warnf("Refresh failed for now tenant=%s user=%s provider=%s reason=%s", access.tenant(),
                    access.subject(), access.provider(), p.reason());
            return events.record(tx, access.event(TokenEvent.REFRESHED, TokenEvent.OUTCOME_FAILED, row.keyVersion(),
                    p.reason())).replaceWith(new Outcome.Unavailable(p.reason(), row));
        }
        if (e instanceof CiphertextRejectedException rejected) {
            LOG.errorf("A stored token did not decrypt tenant=%s user=%s provider=%s: %s", access.tenant(),
                    access.subject(), access.provider(), rejected.getMessage());
            return events.record(tx, access.event(TokenEvent.REFRESHED, TokenEvent.OUTCOME_TAMPERED, row.keyVersion(),
                    "ciphertext_rejected")).replaceWith(new Outcome.Failed(rejected));
        }
        if (e instanceof VaultUnavailableException vault) {
            return events.record(tx, access.event(TokenEvent.REFRESHED, TokenEvent.OUTCOME_FAILED, row.keyVersion(),
                    "vault_" + vault.reason())).replaceWith(new Outcome.Failed(vault));
        }
        return Uni.createFrom().failure(e);
    }
}
