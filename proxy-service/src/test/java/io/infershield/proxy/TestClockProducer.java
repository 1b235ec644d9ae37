package io.infershield.proxy;

import io.infershield.testkit.sim.MutableClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Instant;

/**
 * The clock of the {@code @QuarkusTest}s, in place of the system clock: it starts at the real time and moves only when
 * a test moves it, so that day boundaries and {@code Retry-After} values are exact without sleeping. Tests move it
 * forward only, and choose developers of their own, so that no test depends on where another left it.
 */
public class TestClockProducer {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    MutableClock clock() {
        return new MutableClock(Instant.now());
    }
}
