package io.infershield.proxy.service;

import io.infershield.proxy.config.ProxyConfig;
import io.infershield.testkit.sim.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-developer token bucket, on a clock the test moves. */
class RateLimiterTest {

    private final MutableClock clock = MutableClock.startingAtEpoch2025();

    /** A limiter of {@code perMinute} by default, 2 for tenant {@code small}, the default for {@code budgeted}. */
    private RateLimiter limiter(int perMinute) {
        ProxyConfig config = TestLimits.config(perMinute, 0, Map.of(
                "small", TestLimits.tenant(OptionalInt.of(2), OptionalLong.empty()),
                "budgeted", TestLimits.tenant(OptionalInt.empty(), OptionalLong.of(10))));
        return new RateLimiter(config, clock);
    }

    @Test
    void aBurstOfTheLimitIsServedThenOneRequestPerRefill() {
        RateLimiter limiter = limiter(60);
        for (int i = 0; i < 60; i++) {
            assertEquals(OptionalLong.empty(), limiter.acquire("acme", "ada"), "request " + i);
        }
        assertEquals(OptionalLong.of(1), limiter.acquire("acme", "ada"), "the 61st waits for the next second");
        clock.advance(Duration.ofMillis(999));
        assertEquals(OptionalLong.of(1), limiter.acquire("acme", "ada"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(OptionalLong.empty(), limiter.acquire("acme", "ada"), "one request refilled after 1 s");
        assertEquals(OptionalLong.of(1), limiter.acquire("acme", "ada"));
    }

    @Test
    void eachDeveloperHasABucketOfTheirOwnAndATenantMayHaveItsOwnLimit() {
        RateLimiter limiter = limiter(1);
        assertEquals(OptionalLong.empty(), limiter.acquire("acme", "ada"));
        assertEquals(OptionalLong.of(60), limiter.acquire("acme", "ada"), "one per minute: a minute to wait");
        assertEquals(OptionalLong.empty(), limiter.acquire("acme", "bob"), "bob is not slowed by ada");
        assertEquals(OptionalLong.empty(), limiter.acquire("globex", "ada"), "nor is ada of another tenant");
        assertEquals(OptionalLong.empty(), limiter.acquire("small", "ada"));
        assertEquals(OptionalLong.empty(), limiter.acquire("small", "ada"));
        assertEquals(OptionalLong.of(30), limiter.acquire("small", "ada"), "two per minute: half a minute to wait");
        assertEquals(OptionalLong.empty(), limiter.acquire("budgeted", "ada"));
        assertEquals(OptionalLong.of(60), limiter.acquire("budgeted", "ada"), "a tenant overriding only its budget");
    }

    @Test
    void zeroTurnsTheLimitOff() {
        RateLimiter limiter = limiter(0);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(OptionalLong.empty(), limiter.acquire("acme", "ada"));
        }
    }

    @Test
    void fullBucketsAreDroppedWhenManyDevelopersAreTrackedAndStartFullAgain() {
        RateLimiter limiter = limiter(1);
        for (int i = 0; i <= RateLimiter.PRUNE_ABOVE; i++) {
            limiter.acquire("acme", "dev-" + i);
        }
        clock.advance(Duration.ofMinutes(1));
        assertEquals(OptionalLong.empty(), limiter.acquire("acme", "newcomer"), "pruned, then the newcomer's bucket");
        assertEquals(OptionalLong.empty(), limiter.acquire("acme", "dev-0"), "a refilled bucket loses nothing by going");
        assertEquals(OptionalLong.of(60), limiter.acquire("acme", "dev-0"));
    }
}
