package io.infershield.auth.repository;

import io.infershield.auth.entity.DeviceGrant;
import io.infershield.auth.entity.GrantStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Device grants. Every state change is a single conditional UPDATE, so concurrent polls and concurrent decisions
 * cannot both win: the caller learns from the row count whether its change happened.
 */
@ApplicationScoped
public class DeviceGrantRepository implements PanacheRepositoryBase<DeviceGrant, UUID> {

    public Uni<DeviceGrant> findByDeviceCodeHash(String deviceCodeHash) {
        return find("deviceCodeHash", deviceCodeHash).firstResult();
    }

    /** The pending, unexpired grant a user code names, or null. */
    public Uni<DeviceGrant> findPendingByUserCode(String userCode, Instant now) {
        return find("userCode = :code and status = :pending and expiresAt > :now",
                Parameters.with("code", userCode).and("pending", GrantStatus.PENDING).and("now", now))
                .firstResult();
    }

    /**
     * Records a poll that honoured the interval. It succeeds only if nobody polled since {@code previousPoll} was read,
     * so of two concurrent polls only one counts as well-paced.
     */
    public Uni<Boolean> recordPoll(UUID id, Instant previousPoll, Instant now) {
        Parameters params = Parameters.with("id", id).and("now", now).and("pending", GrantStatus.PENDING);
        String lastPolled = previousPoll == null ? "lastPolledAt is null" : "lastPolledAt = :previous";
        if (previousPoll != null) {
            params = params.and("previous", previousPoll);
        }
        return update("lastPolledAt = :now where id = :id and status = :pending and " + lastPolled, params)
                .map(rows -> rows == 1);
    }

    /** RFC 8628 §3.5 slow_down: the interval grows by {@code seconds}, for good. */
    public Uni<Integer> slowDown(UUID id, int seconds, Instant now) {
        return update("intervalSeconds = intervalSeconds + :seconds, lastPolledAt = :now where id = :id",
                Parameters.with("seconds", seconds).and("now", now).and("id", id));
    }

    /** Moves an approved grant to EXCHANGED; true for exactly one caller however many race for it. */
    public Uni<Boolean> markExchanged(UUID id) {
        return update("status = :exchanged where id = :id and status = :approved",
                Parameters.with("exchanged", GrantStatus.EXCHANGED).and("id", id).and("approved", GrantStatus.APPROVED))
                .map(rows -> rows == 1);
    }

    /** Marks a grant found expired before its exchange; true for exactly one caller however many race for it. */
    public Uni<Boolean> markExpired(UUID id) {
        return update("status = :expired where id = :id and status in (:open)",
                Parameters.with("expired", GrantStatus.EXPIRED).and("id", id)
                        .and("open", List.of(GrantStatus.PENDING, GrantStatus.APPROVED)))
                .map(rows -> rows == 1);
    }

    /**
     * Claims a pending, unexpired grant for {@code subject}, unless another user claimed it first; confirming again
     * keeps the first claim time. False when the grant is not pending or is someone else's.
     */
    public Uni<Boolean> claim(UUID id, String subject, Instant now) {
        return update("claimedBy = :subject, claimedAt = coalesce(claimedAt, :now)"
                        + " where id = :id and status = :pending and expiresAt > :now"
                        + " and (claimedBy is null or claimedBy = :subject)",
                Parameters.with("subject", subject).and("now", now).and("id", id).and("pending", GrantStatus.PENDING))
                .map(rows -> rows == 1);
    }

    /**
     * Approves or denies a pending, unexpired grant and binds it to {@code subject} and their {@code groups}. False
     * when it is no longer pending, including when someone else decided it first, and when another user claimed it.
     */
    public Uni<Boolean> decide(UUID id, GrantStatus decision, String subject, List<String> groups, Instant now) {
        return update("status = :decision, subject = :subject, groups = :groups, decidedAt = :now"
                        + " where id = :id and status = :pending and expiresAt > :now"
                        + " and (claimedBy is null or claimedBy = :subject)",
                Parameters.with("decision", decision).and("subject", subject).and("now", now)
                        .and("groups", groups.toArray(String[]::new))
                        .and("id", id).and("pending", GrantStatus.PENDING))
                .map(rows -> rows == 1);
    }
}
