package io.infershield.auth.config;

import io.infershield.auth.link.Delayer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Provides the one clock every expiry and polling decision reads, and the one way upstream device flows wait between
 * polls, so tests can move time instead of sleeping.
 */
public class ClockProducer {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    Delayer delayer() {
        return Delayer.system();
    }
}
