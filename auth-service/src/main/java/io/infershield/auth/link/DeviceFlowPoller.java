package io.infershield.auth.link;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Starts RFC 8628 device flows against upstream providers. It holds what all flows share: the clock, the way to wait,
 * and the back-off ceiling. Each {@link #start} returns an independent {@link DeviceFlow}.
 */
public final class DeviceFlowPoller {

    private final Clock clock;
    private final Delayer delayer;
    private final Duration maxBackoff;

    /**
     * @param clock      the source of time for the {@code expires_in} deadline and {@code Retry-After} dates
     * @param delayer    waits between polls
     * @param maxBackoff the ceiling of the doubling back-off after a 5xx or a connection failure (checklist B5); it never
     *                   makes a poll come sooner than the provider's interval
     */
    public DeviceFlowPoller(Clock clock, Delayer delayer, Duration maxBackoff) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.delayer = Objects.requireNonNull(delayer, "delayer");
        if (maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new IllegalArgumentException("maxBackoff must be positive");
        }
        this.maxBackoff = maxBackoff;
    }

    /**
     * Starts polling for the token of one device authorization. The deadline is {@code expires_in} from now, and the
     * first poll comes one interval from now (checklist B2, B6).
     */
    public DeviceFlow start(DeviceAuthorizationResponse authorization, TokenEndpointTransport transport) {
        DeviceFlow flow = new DeviceFlow(clock, delayer, maxBackoff, transport, authorization.deviceCode(),
                clock.instant().plus(authorization.expiresIn()), authorization.interval());
        flow.begin();
        return flow;
    }
}
