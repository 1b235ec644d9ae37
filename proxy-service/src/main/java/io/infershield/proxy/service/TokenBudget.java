package io.infershield.proxy.service;

import io.infershield.events.TokenUsage;
import io.infershield.proxy.config.ProxyConfig;
import io.infershield.proxy.repository.TokenUsageRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * Per-developer daily token budget: input plus output tokens per (tenant, subject) and UTC day, at most
 * {@code tokens-per-day} (see {@link ProxyConfig.Limits}). Unlike {@link RateLimiter}'s buckets, the counts live in the
 * database, so the budget holds across replicas: each request's tokens are added once it has ended, and each request
 * that costs tokens first reads today's count (one primary-key read, no cache, so no replica acts on a stale count).
 *
 * <p>The check comes before forwarding and the count after the answer, so requests in flight when the budget is
 * reached still finish: a developer overshoots by at most what their concurrent requests cost. A request counts on the
 * UTC day it ended.
 *
 * <p>The budget fails open: when the database cannot be read the request is forwarded (and its usage is lost if it
 * cannot be written either), because a budget is cost control and the gateway keeps serving while its database is
 * away. Each outage is logged once when it starts and once when it ends.
 */
@ApplicationScoped
public class TokenBudget {

    private static final Logger LOG = Logger.getLogger(TokenBudget.class);
    // Rows are per day: an hourly clean-up deletes a day's rows within an hour of their retention running out
    private static final Duration CLEANUP_INTERVAL = Duration.ofHours(1);

    private final ProxyConfig.Limits config;
    private final Clock clock;
    private final Pool pool;
    private final TokenUsageRepository usage;
    private volatile boolean failing;
    private long cleanupTimer = -1;

    TokenBudget(ProxyConfig config, Clock clock, Pool pool, TokenUsageRepository usage) {
        this.config = config.limits();
        this.clock = clock;
        this.pool = pool;
        this.usage = usage;
    }

    // a Vert.x timer, as the outbox relay's: one periodic task does not need quarkus-scheduler
    void start(@Observes StartupEvent started, Vertx vertx) {
        cleanupTimer = vertx.setPeriodic(CLEANUP_INTERVAL.toMillis(), id -> cleanUp().subscribe().with(
                deleted -> { },
                failure -> LOG.warnf("token usage clean-up failed, will retry: %s", failure.getClass().getSimpleName())));
    }

    void stop(@Observes ShutdownEvent stopping, Vertx vertx) {
        vertx.cancelTimer(cleanupTimer);
    }

    /** The tenant's budget in tokens per developer and day; 0 when it has none. */
    public long perDay(String tenant) {
        ProxyConfig.Limits.Tenant override = config.tenants().get(tenant);
        return override != null ? override.tokensPerDay().orElse(config.tokensPerDay()) : config.tokensPerDay();
    }

    /**
     * Whether the developer has used up today's budget: empty when they may go on, else the seconds until the next UTC
     * midnight, when it starts over (for {@code Retry-After}).
     */
    public Uni<OptionalLong> exhausted(String tenant, String subject) {
        long budget = perDay(tenant);
        if (budget <= 0) {
            return Uni.createFrom().item(OptionalLong.empty());
        }
        Instant now = clock.instant();
        return usage.total(pool, tenant, subject, day(now))
                .map(used -> used < budget ? OptionalLong.empty() : OptionalLong.of(secondsToMidnight(now)))
                .invoke(this::recovered)
                .onFailure().recoverWithItem(e -> {
                    failed("read", e);
                    return OptionalLong.empty();
                });
    }

    /** Adds what a request cost to the developer's count for today; completes when stored or given up. */
    public Uni<Void> record(String tenant, String subject, TokenUsage used) {
        return usage.add(pool, tenant, subject, day(clock.instant()), used.inputTokens(), used.outputTokens())
                .invoke(this::recovered)
                .onFailure().recoverWithItem(e -> {
                    failed("write", e);
                    return null;
                });
    }

    /** Deletes the days older than {@code usage-retention}; answers how many rows. */
    public Uni<Integer> cleanUp() {
        long keep = Math.max(1, config.usageRetention().toDays());
        return usage.deleteBefore(pool, day(clock.instant()).minusDays(keep - 1));
    }

    /** The UTC day of {@code instant}: budgets start over at 00:00 UTC everywhere, whatever the developer's zone. */
    static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Seconds from {@code now} to the next UTC midnight, rounded up: at least 1, at most 86,400. */
    static long secondsToMidnight(Instant now) {
        Instant midnight = day(now).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return (Duration.between(now, midnight).toMillis() + 999) / 1000;
    }

    private void failed(String what, Throwable e) {
        if (!failing) {
            failing = true;
            LOG.warnf("token budgets: cannot %s usage, requests are forwarded unchecked until it can: %s", what,
                    e.getClass().getSimpleName());
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.info("token budgets: usage is read and written again");
        }
    }
}
