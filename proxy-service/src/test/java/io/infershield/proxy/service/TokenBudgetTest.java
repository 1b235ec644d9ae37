package io.infershield.proxy.service;

import io.infershield.events.TokenUsage;
import io.infershield.proxy.repository.TokenUsageRepository;
import io.infershield.testkit.sim.MutableClock;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The daily budget on a clock the test moves, over an in-memory stand-in for the {@code token_usage} table. */
class TokenBudgetTest {

    /** 2025-01-01T00:00:00Z. */
    private final MutableClock clock = MutableClock.startingAtEpoch2025();
    private final MemoryUsage usage = new MemoryUsage();

    /** {@code token_usage} in memory, by "tenant/subject/day". */
    private static final class MemoryUsage extends TokenUsageRepository {
        final Map<String, Long> rows = new TreeMap<>();
        boolean down;

        @Override
        public Uni<Void> add(SqlClient client, String tenant, String subject, LocalDate day, long input, long output) {
            if (down) {
                return Uni.createFrom().failure(new IllegalStateException("database down"));
            }
            rows.merge(tenant + "/" + subject + "/" + day, input + output, Long::sum);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Long> total(SqlClient client, String tenant, String subject, LocalDate day) {
            if (down) {
                return Uni.createFrom().failure(new IllegalStateException("database down"));
            }
            return Uni.createFrom().item(rows.getOrDefault(tenant + "/" + subject + "/" + day, 0L));
        }

        @Override
        public Uni<Integer> deleteBefore(SqlClient client, LocalDate first) {
            int before = rows.size();
            rows.keySet().removeIf(key -> LocalDate.parse(key.substring(key.lastIndexOf('/') + 1)).isBefore(first));
            return Uni.createFrom().item(before - rows.size());
        }
    }

    /** 100 tokens a day by default; tenant {@code big} 1,000; tenant {@code exempt} none. */
    private TokenBudget budget() {
        return new TokenBudget(TestLimits.config(600, 100, Map.of(
                "big", TestLimits.tenant(OptionalInt.empty(), OptionalLong.of(1000)),
                "exempt", TestLimits.tenant(OptionalInt.of(5), OptionalLong.of(0)))), clock, null, usage);
    }

    private static OptionalLong exhausted(TokenBudget budget, String tenant, String subject) {
        return budget.exhausted(tenant, subject).await().indefinitely();
    }

    private static void use(TokenBudget budget, String tenant, String subject, long input, long output) {
        budget.record(tenant, subject, new TokenUsage(input, output, false)).await().indefinitely();
    }

    @Test
    void theBudgetIsExhaustedWhenInputAndOutputReachItUntilTheNextUtcMidnight() {
        TokenBudget budget = budget();
        clock.set(Instant.parse("2025-03-10T18:30:00Z"));
        use(budget, "acme", "ada", 60, 39);
        assertEquals(OptionalLong.empty(), exhausted(budget, "acme", "ada"), "99 of 100");

        use(budget, "acme", "ada", 0, 1);
        assertEquals(OptionalLong.of(5 * 3600 + 30 * 60), exhausted(budget, "acme", "ada"), "5 h 30 min to midnight");

        clock.set(Instant.parse("2025-03-10T23:59:59.001Z"));
        assertEquals(OptionalLong.of(1), exhausted(budget, "acme", "ada"), "rounded up to a whole second");
        clock.advance(Duration.ofMillis(999));
        assertEquals(OptionalLong.empty(), exhausted(budget, "acme", "ada"), "a new day, a new budget");
        assertEquals(Map.of("acme/ada/2025-03-10", 100L), usage.rows);
    }

    @Test
    void aRequestCountsOnTheUtcDayItEnded() {
        TokenBudget budget = budget();
        clock.set(Instant.parse("2025-03-10T23:59:59.999Z"));
        use(budget, "acme", "ada", 70, 0);
        clock.advance(Duration.ofMillis(1));
        use(budget, "acme", "ada", 80, 0);

        assertEquals(Map.of("acme/ada/2025-03-10", 70L, "acme/ada/2025-03-11", 80L), usage.rows);
        assertEquals(OptionalLong.empty(), exhausted(budget, "acme", "ada"));
    }

    @Test
    void anExhaustedBudgetRetriesAfterAWholeDayAtMidnightItself() {
        TokenBudget budget = budget();
        use(budget, "acme", "ada", 100, 0);

        assertEquals(OptionalLong.of(86_400), exhausted(budget, "acme", "ada"));
    }

    @Test
    void eachDeveloperHasABudgetOfTheirOwnAndATenantMayHaveItsOwnOrNone() {
        TokenBudget budget = budget();
        use(budget, "acme", "ada", 100, 0);
        use(budget, "big", "ada", 999, 0);
        use(budget, "exempt", "ada", 1_000_000, 0);

        assertEquals(OptionalLong.of(86_400), exhausted(budget, "acme", "ada"));
        assertEquals(OptionalLong.empty(), exhausted(budget, "acme", "bob"), "bob is not held back by ada");
        assertEquals(OptionalLong.empty(), exhausted(budget, "big", "ada"), "999 of 1,000");
        assertEquals(OptionalLong.empty(), exhausted(budget, "exempt", "ada"), "0: no budget");
        assertEquals(100, budget.perDay("acme"));
        assertEquals(1000, budget.perDay("big"));
        assertEquals(0, budget.perDay("exempt"));
    }

    @Test
    void withoutADatabaseRequestsAreForwardedUnchecked() {
        TokenBudget budget = budget();
        use(budget, "acme", "ada", 100, 0);
        usage.down = true;

        assertEquals(OptionalLong.empty(), exhausted(budget, "acme", "ada"));
        use(budget, "acme", "ada", 5, 0);
        usage.down = false;
        assertEquals(OptionalLong.of(86_400), exhausted(budget, "acme", "ada"), "the count is read again");
    }

    @Test
    void theCleanUpKeepsTheRetentionsDaysTodayIncluded() {
        TokenBudget budget = budget();
        use(budget, "acme", "ada", 1, 0);
        clock.advance(TestLimits.RETENTION.minusDays(1));
        use(budget, "acme", "ada", 2, 0);

        assertEquals(0, budget.cleanUp().await().indefinitely(), "31 days kept: 2025-01-01 to 2025-01-31");
        clock.advance(Duration.ofDays(1));
        assertEquals(1, budget.cleanUp().await().indefinitely());
        assertEquals(Map.of("acme/ada/2025-01-31", 2L), usage.rows);
    }
}
