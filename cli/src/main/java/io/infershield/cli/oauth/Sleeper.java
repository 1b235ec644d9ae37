package io.infershield.cli.oauth;

import java.time.Duration;

/** Waits between polls; tests replace it so that they neither sleep nor depend on the wall clock. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration) throws InterruptedException;

    /** The real thing. */
    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());
}
