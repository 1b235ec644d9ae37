package io.infershield.testkit.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that only moves when a test moves it, so simulators can expire codes and tokens without sleeping.
 * Thread-safe: the simulators read it from their HTTP threads while the test advances it.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public MutableClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** A clock at a fixed, round instant (2025-01-01T00:00:00Z), handy for deterministic assertions. */
    public static MutableClock startingAtEpoch2025() {
        return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    }

    public MutableClock advance(Duration by) {
        now.updateAndGet(i -> i.plus(by));
        return this;
    }

    public MutableClock advanceSeconds(long seconds) {
        return advance(Duration.ofSeconds(seconds));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** Shares the same moving instant with a different zone. */
    @Override
    public Clock withZone(ZoneId z) {
        return new MutableClock(now, z);
    }
}
