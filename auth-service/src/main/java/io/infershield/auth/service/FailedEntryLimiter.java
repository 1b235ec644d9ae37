package io.infershield.auth.service;

import io.infershield.auth.config.AuthConfig;
import io.infershield.auth.repository.FailedEntryRepository;
import io.infershield.events.AuthEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Limits failed user code entries per account, client IP and session (RFC 8628 §5.1). With 20^8 codes, a handful of
 * live ones and five failures per key every fifteen minutes, a guess stays far below the 2^-32 the checklist asks
 * for. Bucket4j is not used: its PostgreSQL backend is blocking JDBC, and one reactive upsert does the job.
 */
@ApplicationScoped
public class FailedEntryLimiter {

    private final AuthConfig.FailedEntries limits;
    private final Clock clock;
    private final FailedEntryRepository counters;
    private final AuthEvents events;
    private final Pool pool;

    FailedEntryLimiter(AuthConfig config, Clock clock, FailedEntryRepository counters, AuthEvents events, Pool pool) {
        this.limits = config.failedEntries();
        this.clock = clock;
        this.counters = counters;
        this.events = events;
        this.pool = pool;
    }

    /** Who is entering a code. The session falls back to the account when the sign-in carries no session id. */
    public record Keys(String account, String ip, String session) {

        List<String> asList() {
            List<String> keys = new ArrayList<>(3);
            keys.add("account:" + account);
            if (ip != null) {
                keys.add("ip:" + ip);
            }
            // a session id is a handle on the user's sign-in, so only its hash is stored
            keys.add("session:" + Secrets.sha256Hex(session == null ? "account:" + account : session));
            return keys;
        }
    }

    /**
     * Runs one code entry unless a key is over its limit, and fails with {@link TooManyAttempts} if it is. The entry
     * is counted before it runs and taken back if it did not fail, so that a burst of parallel guesses cannot all
     * slip under the limit before any of them is counted. Every refused entry is reported as
     * {@code auth.bruteforce.blocked}, in the transaction that counted it.
     */
    public <T> Uni<T> attempt(Keys who, Supplier<Uni<T>> entry, Predicate<T> failed) {
        List<String> keys = who.asList();
        Instant now = clock.instant();
        return pool.withTransaction(tx -> counters.count(tx, keys, now, now.minus(limits.window()))
                .call(count -> count > limits.max()
                        ? events.record(tx, AuthEvent.BRUTEFORCE_BLOCKED, who.account(), new AuthEvent(null, null, null,
                                null, AuthEvent.REASON_TOO_MANY_FAILED_ENTRIES, who.ip()))
                        : Uni.createFrom().voidItem())
        ).flatMap(count -> {
            if (count > limits.max()) {
                return counters.uncount(keys).flatMap(ignored -> Uni.createFrom().failure(new TooManyAttempts()));
            }
            return entry.get().call(result -> failed.test(result) ? Uni.createFrom().voidItem() : counters.uncount(keys));
        });
    }
}
