package io.infershield.cli.oauth;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits between polls while showing how long a user code has left: on a terminal one line redrawn every second, and
 * elsewhere (logs, CI, pipes) a plain line at most every 30 seconds, since nobody watches a redrawn line there.
 */
public class Countdown {

    private static final Duration PLAIN_PROGRESS_EVERY = Duration.ofSeconds(30);
    private static final Duration REDRAW_EVERY = Duration.ofSeconds(1);

    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintWriter out;
    private final boolean terminal;
    private final String label;
    private Instant lastPlainLine;
    private volatile boolean drawn;

    /** @param label what is being waited for, followed on screen by the time left */
    public Countdown(Clock clock, Sleeper sleeper, PrintWriter out, boolean terminal, String label) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
        this.terminal = terminal;
        this.label = label;
    }

    /** Sleeps until {@code until}, showing the time left before {@code deadline}. */
    public void waitUntil(Instant until, Instant deadline) throws InterruptedException {
        Instant now = clock.instant();
        if (!terminal) {
            if (lastPlainLine == null || Duration.between(lastPlainLine, now).compareTo(PLAIN_PROGRESS_EVERY) >= 0) {
                out.println(label + " " + format(Duration.between(now, deadline)) + " left");
                out.flush();
                lastPlainLine = now;
            }
            if (now.isBefore(until)) {
                sleeper.sleep(Duration.between(now, until));
            }
            return;
        }
        while (now.isBefore(until)) {
            out.print("\r\033[K" + label + " " + format(Duration.between(now, deadline)) + " left");
            out.flush();
            drawn = true;
            Duration untilNext = Duration.between(now, until);
            sleeper.sleep(untilNext.compareTo(REDRAW_EVERY) < 0 ? untilNext : REDRAW_EVERY);
            now = clock.instant();
        }
    }

    /** Removes the redrawn line, if there is one, so that what follows starts on a clean line. */
    public void clear() {
        if (drawn) {
            drawn = false;
            out.print("\r\033[K");
            out.flush();
        }
    }

    static String format(Duration remaining) {
        long seconds = Math.max(0, remaining.toSeconds());
        return String.format("%d:%02d", seconds / 60, seconds % 60);
    }
}
