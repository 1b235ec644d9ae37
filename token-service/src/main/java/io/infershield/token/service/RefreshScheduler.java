package io.infershield.token.service;

import io.infershield.events.TokenEvent;
import io.infershield.token.config.TokenConfig;
import io.infershield.token.repository.LinkRow;
import io.infershield.token.repository.LinkRows;
import io.infershield.token.service.RefreshService.Outcome;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Refreshes links before they expire, at their jittered {@code next_refresh_at}: Copilot tokens before
 * {@code refresh_in}, OAuth access tokens {@code token.refresh.skew} before expiry. Every replica scans; the row lock
 * in {@link RefreshService} lets only one of them refresh a link. A permanent failure breaks the link and emits
 * {@code token.link_broken}.
 */
@ApplicationScoped
public class RefreshScheduler {

    /** The actor of refreshes nobody asked for. */
    public static final String ACTOR = "refresh-scheduler";

    private static final Logger LOG = Logger.getLogger(RefreshScheduler.class);

    private final Pool pool;
    private final LinkRows rows;
    private final RefreshService refreshes;
    private final TokenConfig.Refresh config;
    private final Clock clock;

    RefreshScheduler(Pool pool, LinkRows rows, RefreshService refreshes, TokenConfig config, Clock clock) {
        this.pool = pool;
        this.rows = rows;
        this.refreshes = refreshes;
        this.config = config.refresh();
        this.clock = clock;
    }

    @Scheduled(identity = "token-refresh", every = "${token.refresh.scan-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refreshDue()
                .onFailure().invoke(e -> LOG.warnf("Refresh scan failed, next scan retries: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Refreshes the links that are due now, one after the other; answers how many are linked afterwards. */
    public Uni<Integer> refreshDue() {
        return pool.withConnection(c -> rows.due(c, clock.instant(), config.scanBatch()))
                .onItem().transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem().transformToUniAndConcatenate(this::refresh)
                .collect().asList()
                .map(outcomes -> (int) outcomes.stream().filter(Outcome.Current.class::isInstance).count());
    }

    private Uni<Outcome> refresh(LinkRow row) {
        Access access = new Access(row.tenant(), row.subject(), row.provider(), TokenEvent.USER_TOKEN, ACTOR, "refresh");
        return refreshes.refresh(access, row.credentialVersion(), RefreshService.Trigger.SCHEDULED)
                // one link's vault failure must not stop the others
                .onFailure().recoverWithItem(e -> new Outcome.Failed(new IllegalStateException(e)));
    }
}
