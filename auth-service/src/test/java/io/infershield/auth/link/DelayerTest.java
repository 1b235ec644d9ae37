package io.infershield.auth.link;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class DelayerTest {

    @Test
    void systemDelayerCompletesAfterTheDelayWithoutBlockingTheCaller() throws Exception {
        CompletableFuture<Void> wait = Delayer.system().after(Duration.ofMillis(200));

        assertFalse(wait.isDone());
        assertNull(wait.get(5, TimeUnit.SECONDS));
    }
}
