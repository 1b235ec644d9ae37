package io.infershield.auth.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A clock and a delayer in one: each wait is recorded, moves the clock by its length and completes at once, so a whole
 * device flow runs synchronously inside {@code start()} without sleeping. {@link #holdWaits()} leaves waits open instead.
 */
final class FakeTimeline extends Clock implements Delayer {

    static final Instant START = Instant.parse("2025-06-01T10:00:00Z");

    private Instant now = START;
    private final List<Duration> delays = new ArrayList<>();
    private final List<CompletableFuture<Void>> heldWaits = new ArrayList<>();
    private boolean hold;

    @Override
    public CompletableFuture<Void> after(Duration delay) {
        delays.add(delay);
        if (hold) {
            CompletableFuture<Void> wait = new CompletableFuture<>();
            heldWaits.add(wait);
            return wait;
        }
        now = now.plus(delay);
        return CompletableFuture.completedFuture(null);
    }

    void holdWaits() {
        hold = true;
    }

    /** The waits in seconds, in order. */
    List<Long> delaySeconds() {
        return delays.stream().map(Duration::toSeconds).toList();
    }

    List<CompletableFuture<Void>> heldWaits() {
        return heldWaits;
    }

    /** Seconds since the flow started. */
    long elapsedSeconds() {
        return Duration.between(START, now).toSeconds();
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
