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
    /** How often a countdown line is written when nobody can watch a line being redrawn (logs, CI, pipes). */
    private static final Duration PLAIN_PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Duration REDRAW_EVERY = Duration.ofSeconds(1);

    private final AuthServerClient client;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintWriter out;
    private final boolean terminal;

    public TokenPoller(AuthServerClient client, Clock clock, Sleeper sleeper, PrintWriter out, boolean terminal) {
        this.client = client;
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
        this.terminal = terminal;
    }

    public AccessToken await(ServerMetadata server, DeviceAuthorization authorization)
            throws LoginFailedException, InterruptedException {
        Instant deadline = clock.instant().plus(authorization.expiresIn());
        Duration interval = authorization.interval();
        Instant lastPlainLine = null;
        try {
            while (true) {
                // RFC 8628 §3.4: the first poll comes one interval after the authorization, not at once.
                Instant nextPoll = clock.instant().plus(interval);
                if (terminal) {
                    waitRedrawing(nextPoll, deadline);
                } else {
                    lastPlainLine = printPlain(deadline, lastPlainLine);
                    sleeper.sleep(interval);
                }
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
            if (terminal) {
                out.print("\r\033[K");
                out.flush();
            }
        }
    }

    private void waitRedrawing(Instant nextPoll, Instant deadline) throws InterruptedException {
        Instant now = clock.instant();
        while (now.isBefore(nextPoll)) {
            out.print("\r\033[KWaiting for approval in the browser… " + format(Duration.between(now, deadline)) + " left");
            out.flush();
            Duration untilPoll = Duration.between(now, nextPoll);
            sleeper.sleep(untilPoll.compareTo(REDRAW_EVERY) < 0 ? untilPoll : REDRAW_EVERY);
            now = clock.instant();
        }
    }

    private Instant printPlain(Instant deadline, Instant lastLine) {
        Instant now = clock.instant();
        if (lastLine != null && Duration.between(lastLine, now).compareTo(PLAIN_PROGRESS_EVERY) < 0) {
            return lastLine;
        }
        out.println("Waiting for approval in the browser… " + format(Duration.between(now, deadline)) + " left");
        out.flush();
        return now;
    }

    private static String expiredMessage() {
        return "The code expired before it was approved. Run `infershield login` again.";
    }

    private static String format(Duration remaining) {
        long seconds = Math.max(0, remaining.toSeconds());
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
