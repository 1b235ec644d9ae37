package io.infershield.cli.oauth;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls the token endpoint until the user approves the code in the browser (RFC 8628 §3.4 and §3.5), showing how
 * long the code has left.
 */
public class TokenPoller {

    /** RFC 8628 §3.5: every slow_down adds five seconds to the interval, for all later polls. */
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    private final AuthServerClient client;
    private final Clock clock;
    private final Countdown countdown;

    public TokenPoller(AuthServerClient client, Clock clock, Sleeper sleeper, PrintWriter out, boolean terminal) {
        this.client = client;
        this.clock = clock;
        this.countdown = new Countdown(clock, sleeper, out, terminal, "Waiting for approval in the browser…");
    }

    public AccessToken await(ServerMetadata server, DeviceAuthorization authorization)
            throws LoginFailedException, InterruptedException {
        Instant deadline = clock.instant().plus(authorization.expiresIn());
        Duration interval = authorization.interval();
        try {
            while (true) {
                // RFC 8628 §3.4: the first poll comes one interval after the authorization, not at once.
                countdown.waitUntil(clock.instant().plus(interval), deadline);
                if (!clock.instant().isBefore(deadline)) {
                    throw new LoginFailedException(expiredMessage());
                }
                try {
                    return client.pollToken(server, authorization);
                } catch (OAuthException e) {
                    String error = e.error() == null ? "" : e.error();
                    switch (error) {
                        case "authorization_pending" -> { }
                        case "slow_down" -> interval = interval.plus(SLOW_DOWN_STEP);
                        case "access_denied" -> throw new LoginFailedException("Sign-in was denied in the browser.");
                        case "expired_token" -> throw new LoginFailedException(expiredMessage());
                        default -> throw new LoginFailedException("Sign-in failed: " + e.getMessage());
                    }
                }
            }
        } catch (ServerUnreachableException e) {
            throw new LoginFailedException(e.getMessage());
        } finally {
            countdown.clear();
        }
    }

    private static String expiredMessage() {
        return "The code expired before it was approved. Run `infershield login` again.";
    }
}
