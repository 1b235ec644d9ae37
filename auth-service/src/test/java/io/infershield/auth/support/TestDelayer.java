package io.infershield.auth.support;

import io.infershield.auth.link.Delayer;
import io.infershield.testkit.sim.MutableClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Replaces the upstream flows' waits in tests: a wait ends only when a test moves time past it with {@link #advance},
 * which moves the application clock and the simulators' clock together. Nothing sleeps.
 */
@Alternative
@Priority(1)
@Singleton
public class TestDelayer implements Delayer {

    private record Wait(Instant due, Duration length, CompletableFuture<Void> done) {
    }

    private final TestClock clock;
    private final List<Wait> waits = new ArrayList<>();

    TestDelayer(TestClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized CompletableFuture<Void> after(Duration delay) {
        Wait wait = new Wait(clock.instant().plus(delay), delay, new CompletableFuture<>());
        waits.add(wait);
        return wait.done();
    }

    /** Moves the application clock and {@code upstreamClocks} by {@code by}, then ends every wait now due. */
    public void advance(Duration by, MutableClock... upstreamClocks) {
        advance(by, true, upstreamClocks);
    }

    /**
     * Moves only the application clock, so that the upstream sees the next poll come early: how a slow_down is
     * provoked from a client that honours its interval.
     */
    public void advanceApplicationOnly(Duration by) {
        advance(by, false);
    }

    private void advance(Duration by, boolean upstream, MutableClock... upstreamClocks) {
        clock.advance(by);
        if (upstream) {
            for (MutableClock other : upstreamClocks) {
                other.advance(by);
            }
        }
        List<Wait> due = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            waits.removeIf(wait -> {
                boolean ended = wait.done().isDone();
                if (!ended && !wait.due().isAfter(now)) {
                    due.add(wait);
                    return true;
                }
                return ended;
            });
        }
        due.forEach(wait -> wait.done().complete(null));
    }

    /** The lengths of the waits still open, in seconds, oldest first. */
    public synchronized List<Long> openWaitSeconds() {
        return waits.stream().filter(wait -> !wait.done().isDone()).map(wait -> wait.length().toSeconds()).toList();
    }

    /** Ends every open wait by cancelling it, so that no flow of one test polls during the next. */
    public void abandonAll() {
        List<Wait> open;
        synchronized (this) {
            open = List.copyOf(waits);
            waits.clear();
        }
        open.forEach(wait -> wait.done().cancel(true));
    }
}
