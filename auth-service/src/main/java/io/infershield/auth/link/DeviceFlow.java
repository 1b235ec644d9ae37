package io.infershield.auth.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * One running device flow: it polls the upstream token endpoint until the developer approves or refuses, the code
 * expires, the provider answers an error, or {@link #cancel()} is called. Exactly one request or wait is outstanding
 * at any time; {@link #outcome()} completes once.
 */
public final class DeviceFlow {

    /** RFC 8628 §3.5: on slow_down "the interval MUST be increased by 5 seconds for this and all subsequent requests". */
    private static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]{1,9}");

    private final Clock clock;
    private final Delayer delayer;
    private final Duration maxBackoff;
    private final TokenEndpointTransport transport;
    private final DeviceCode deviceCode;
    private final Instant deadline;
    private final CompletableFuture<LinkOutcome> outcome = new CompletableFuture<>();

    // Written only by the one step in progress; each step starts from the completion of the previous one, and
    // CompletableFuture completion orders those writes before the next step's reads.
    private Duration interval;
    private int consecutiveFailures;

    private Future<?> pending;
    private boolean finished;

    DeviceFlow(Clock clock, Delayer delayer, Duration maxBackoff, TokenEndpointTransport transport,
            DeviceCode deviceCode, Instant deadline, Duration interval) {
        this.clock = clock;
        this.delayer = delayer;
        this.maxBackoff = maxBackoff;
        this.transport = transport;
        this.deviceCode = deviceCode;
        this.deadline = deadline;
        this.interval = interval;
    }

    /** Completes once with how the flow ended. */
    public CompletionStage<LinkOutcome> outcome() {
        return outcome.minimalCompletionStage();
    }

    /**
     * Stops the flow: cancels the wait or the request in flight, and ends the flow as {@link LinkOutcome.Cancelled}.
     *
     * @return false when the flow had already ended
     */
    public boolean cancel() {
        Future<?> inFlight;
        synchronized (this) {
            if (finished) {
                return false;
            }
            finished = true;
            inFlight = pending;
        }
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        outcome.complete(new LinkOutcome.Cancelled());
        return true;
    }

    void begin() {
        // checklist B2: the first poll also waits one interval; the developer cannot have approved yet
        waitThenPoll(interval);
    }

    private void waitThenPoll(Duration delay) {
        // checklist B6: a poll at or after expires_in could only answer expired_token, so stop now
        if (delay.compareTo(Duration.between(clock.instant(), deadline)) >= 0) {
            finish(new LinkOutcome.Expired());
            return;
        }
        CompletableFuture<Void> timer = delayer.after(delay);
        if (track(timer)) {
            timer.whenComplete((ignored, error) -> {
                if (error == null) {
                    poll();
                } else {
                    finish(new LinkOutcome.Failed("internal_error"));
                }
            });
        }
    }

    private void poll() {
        CompletableFuture<TokenEndpointResponse> request;
        try {
            request = transport.poll(deviceCode);
        } catch (RuntimeException e) {
            request = CompletableFuture.failedFuture(e);
        }
        if (track(request)) {
            request.whenComplete((response, error) -> {
                if (isFinished()) {
                    return;
                }
                if (error != null) {
                    // checklist B5: a connection failure does not end the flow
                    waitThenPoll(backOff(Optional.empty()));
                } else {
                    handle(response);
                }
            });
        }
    }

    private void handle(TokenEndpointResponse response) {
        Optional<Duration> retryAfter = response.header("Retry-After").flatMap(this::retryAfter);
        // checklist B5: an overloaded or failing server is retried more slowly, never given up on
        if (response.status() >= 500 || response.status() == 429) {
            waitThenPoll(backOff(retryAfter));
            return;
        }
        ObjectNode body;
        Optional<String> error;
        try {
            body = OAuthBodies.parse(response.body(), response.header("Content-Type").orElse(null));
            error = OAuthBodies.error(body);
        } catch (InvalidProviderResponse e) {
            finish(new LinkOutcome.Failed(LinkOutcome.INVALID_RESPONSE));
            return;
        }
        consecutiveFailures = 0;
        if (error.isEmpty()) {
            // checklist B7: only a 200 without "error" is a token response (GitHub answers errors with 200 too)
            finish(response.status() == 200 ? success(body) : new LinkOutcome.Failed(LinkOutcome.INVALID_RESPONSE));
            return;
        }
        // RFC 8628 §3.5 and checklist B3, B4
        switch (error.get()) {
            case "authorization_pending" -> waitThenPoll(atLeast(interval, retryAfter));
            case "slow_down" -> {
                Duration stepped = interval.plus(SLOW_DOWN_STEP);
                Duration asked = bodyInterval(body);
                interval = asked.compareTo(stepped) > 0 ? asked : stepped;
                waitThenPoll(atLeast(interval, retryAfter));
            }
            case "access_denied" -> finish(new LinkOutcome.Denied());
            // GitHub spells it token_expired in places (checklist B7)
            case "expired_token", "token_expired" -> finish(new LinkOutcome.Expired());
            default -> finish(new LinkOutcome.Failed(error.get()));
        }
    }

    private Duration backOff(Optional<Duration> retryAfter) {
        consecutiveFailures++;
        Duration delay = interval;
        for (int i = 0; i < consecutiveFailures && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        if (delay.compareTo(maxBackoff) > 0) {
            delay = maxBackoff.compareTo(interval) > 0 ? maxBackoff : interval;
        }
        return atLeast(delay, retryAfter);
    }

    private static Duration atLeast(Duration delay, Optional<Duration> retryAfter) {
        return retryAfter.filter(r -> r.compareTo(delay) > 0).orElse(delay);
    }

    /** The interval a slow_down body asks for; a malformed one is ignored, the 5 s step still applies. */
    private static Duration bodyInterval(ObjectNode body) {
        try {
            OptionalLong seconds = OAuthBodies.seconds(body, "interval");
            return seconds.isPresent() ? Duration.ofSeconds(seconds.getAsLong()) : Duration.ZERO;
        } catch (InvalidProviderResponse e) {
            return Duration.ZERO;
        }
    }

    /** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; an unreadable value is ignored. */
    private Optional<Duration> retryAfter(String value) {
        String text = value.strip();
        if (DELAY_SECONDS.matcher(text).matches()) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration delay = Duration.between(clock.instant(), at);
            return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static LinkOutcome success(ObjectNode body) {
        JsonNode accessToken = body.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.textValue().isBlank()) {
            return new LinkOutcome.Failed(LinkOutcome.INVALID_RESPONSE);
        }
        Map<String, String> fields = new HashMap<>();
        body.properties().forEach(field -> {
            if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                fields.put(field.getKey(), field.getValue().asText());
            }
        });
        return new LinkOutcome.Success(fields);
    }

    /** Records the one outstanding wait or request so cancel() can reach it; cancels it at once if the flow has ended. */
    private boolean track(Future<?> next) {
        synchronized (this) {
            if (!finished) {
                pending = next;
                return true;
            }
        }
        next.cancel(true);
        return false;
    }

    private synchronized boolean isFinished() {
        return finished;
    }

    private void finish(LinkOutcome result) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            pending = null;
        }
        outcome.complete(result);
    }
}
