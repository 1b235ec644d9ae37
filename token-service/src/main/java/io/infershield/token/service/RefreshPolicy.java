package io.infershield.token.service;

import io.infershield.token.config.TokenConfig;
import io.infershield.token.repository.LinkRow;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a token is due: a Copilot token at its {@code refresh_in}, an OAuth access token {@code token.refresh.skew}
 * before it expires (only if a refresh token exists to refresh it with). The scheduler takes links up a random part of
 * {@code token.refresh.jitter} earlier still, so that links linked together and replicas do not refresh in lock-step.
 */
@ApplicationScoped
public class RefreshPolicy {

    private final Duration skew;
    private final Duration jitter;

    RefreshPolicy(TokenConfig config) {
        this.skew = config.refresh().skew();
        this.jitter = config.refresh().jitter();
    }

    /** When the token handed out should be replaced, or null when it cannot or need not be. */
    public Instant due(Instant accessExpiresAt, boolean hasRefreshToken, Instant derivedRefreshAt) {
        if (derivedRefreshAt != null) {
            return derivedRefreshAt;
        }
        return hasRefreshToken && accessExpiresAt != null ? accessExpiresAt.minus(skew) : null;
    }

    public Instant due(LinkRow row) {
        return due(row.accessExpiresAt(), row.refreshCiphertext() != null, row.derivedRefreshAt());
    }

    public boolean isDue(LinkRow row, Instant now) {
        Instant due = due(row);
        return due != null && !now.isBefore(due);
    }

    /** When the scheduler should take the link up: {@code due} minus a random jitter, or null. */
    public Instant nextRefresh(Instant due) {
        if (due == null) {
            return null;
        }
        long jitterMillis = jitter.toMillis();
        return jitterMillis <= 0 ? due : due.minusMillis(ThreadLocalRandom.current().nextLong(jitterMillis + 1));
    }
}
