package io.infershield.auth.link;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Waits without blocking a thread, so the device flow can be driven by a fake timeline in tests. */
@FunctionalInterface
public interface Delayer {

    /** A future that completes after {@code delay}; cancelling it abandons the wait. */
    CompletableFuture<Void> after(Duration delay);

    /** Waits on the JDK's shared delay scheduler. */
    static Delayer system() {
        return delay -> CompletableFuture.runAsync(() -> { },
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }
}
