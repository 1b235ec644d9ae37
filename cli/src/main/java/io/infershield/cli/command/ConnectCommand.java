package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.desktop.ShutdownHooks;
import io.infershield.cli.oauth.ApiProblem;
import io.infershield.cli.oauth.Countdown;
import io.infershield.cli.oauth.LinkSession;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.ServerUnreachableException;
import io.infershield.cli.store.StoredLogin;
import jakarta.inject.Inject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code infershield connect <provider>}: links an upstream account through auth-service, which runs the provider's
 * device flow (RFC 8628) and hands the token to token-service. The command shows the provider's code and follows the
 * session until it ends; stopping the command (Ctrl-C) cancels the session, so that the server stops polling the
 * provider for a code nobody will enter.
 */
@Command(name = "connect", description = "Link your account at an upstream provider (github, openai, …) to the gateway.")
public class ConnectCommand implements Callable<Integer> {

    /**
     * How long a session may stay pending past its expiry before the command gives up on it: the server decides
     * expiry, by its own clock, and says so at its next poll of the provider.
     */
    static final Duration EXPIRY_GRACE = Duration.ofSeconds(30);

    @Parameters(index = "0", paramLabel = "PROVIDER", converter = ProviderConverter.class,
            description = "github, openai, or another provider the gateway is configured with")
    String provider;

    @Option(names = "--no-browser", description = "Only print the URL; do not try to open a browser.")
    boolean noBrowser;

    /** Hidden: only tests and scripts need another pace than the default. */
    @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "PT2S", hidden = true,
            description = "How often to ask auth-service about the session, as an ISO-8601 duration.")
    Duration pollInterval;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public ConnectCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--poll-interval must be positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoredLogin login;
        try {
            login = SignIn.live(context, SignIn.stored(context));
        } catch (SignInNeeded e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (ServerUnreachableException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
        LinkSession session;
        try {
            session = context.links().start(login.server(), login.credential(), provider);
        } catch (ServerUnreachableException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (ApiProblem e) {
            err.println(switch (e.status()) {
                case 401 -> SignInNeeded.refused().getMessage();
                case 404 -> "No provider named " + provider + " is configured at " + login.server() + ".";
                case 502 -> provider + " refused to start linking: " + (e.error() != null ? e.error() + "."
                        : e.detail() != null ? e.detail() : "no reason given.");
                default -> "Could not start linking " + provider + ": " + e.getMessage();
            });
            return ExitCodes.FAILED;
        } catch (OAuthException e) {
            err.println("Could not start linking " + provider + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return new Follow(login, session, out, err).await();
    }

    /** Following one session to its end, from the main thread or, when the user stops the command, a shutdown hook. */
    private final class Follow {

        /** Set by whichever comes first: the session's end seen here, or the user stopping the command. */
        private final AtomicBoolean settled = new AtomicBoolean();
        private final LinkSession session;
        private final PrintWriter out;
        private final PrintWriter err;
        private final Countdown countdown;
        private volatile StoredLogin login;

        Follow(StoredLogin login, LinkSession session, PrintWriter out, PrintWriter err) {
            this.login = login;
            this.session = session;
            this.out = out;
            this.err = err;
            this.countdown = new Countdown(context.clock(), context.sleeper(), out, context.terminal(),
                    "Waiting for approval at " + provider + "…");
        }

        int await() throws IOException {
            try (ShutdownHooks.Registration hook = context.shutdownHooks().add(this::stoppedByUser)) {
                // shown only now: a Ctrl-C from here on cancels the session
                CodePrompt.show(out, context.browser(), !noBrowser, "To link " + provider, session.userCode(),
                        session.verificationUri(), session.verificationUriComplete());
                return poll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("Linking " + provider + " was interrupted.");
                return ExitCodes.FAILED;
            } finally {
                // any way out other than the session's end leaves it pending at the server, polling the provider
                if (settled.compareAndSet(false, true)) {
                    cancelAtServer();
                }
                countdown.clear();
            }
        }

        private int poll() throws IOException, InterruptedException {
            Instant deadline = session.expiresAt();
            Instant giveUp = deadline.plus(EXPIRY_GRACE);
            String lastProblem = null;
            while (true) {
                countdown.waitUntil(context.clock().instant().plus(pollInterval), deadline);
                if (settled.get()) {
                    return ExitCodes.FAILED; // stopped by the user; the hook has said so
                }
                LinkSession now;
                try {
                    // the access credential lives an hour and may run out while the user is at the provider
                    login = SignIn.live(context, login);
                    now = context.links().session(login.server(), login.credential(), session.id());
                    lastProblem = null;
                } catch (SignInNeeded e) {
                    err.println(e.getMessage());
                    return ExitCodes.FAILED;
                } catch (ServerUnreachableException e) {
                    // pending sessions survive an auth-service restart, so keep asking until the code is gone
                    lastProblem = e.getMessage();
                    now = null;
                } catch (ApiProblem e) {
                    if (e.status() / 100 != 5) {
                        return refusedWhileFollowing(e);
                    }
                    lastProblem = e.getMessage();
                    now = null;
                } catch (OAuthException e) {
                    err.println("Could not follow linking " + provider + ": " + e.getMessage());
                    return ExitCodes.FAILED;
                }
                if (now == null || now.pending()) {
                    if (!context.clock().instant().isBefore(giveUp)) {
                        countdown.clear();
                        err.println(lastProblem != null ? lastProblem : expired());
                        return ExitCodes.FAILED;
                    }
                    continue;
                }
                if (!settled.compareAndSet(false, true)) {
                    return ExitCodes.FAILED;
                }
                countdown.clear();
                return ended(now);
            }
        }

        private int ended(LinkSession now) {
            switch (now.state()) {
                case "linked" -> {
                    out.println("Linked " + provider + ".");
                    return ExitCodes.OK;
                }
                case "denied" -> err.println("Linking " + provider + " was denied at " + provider + ".");
                case "expired" -> err.println(expired());
                case "failed" -> err.println("Linking " + provider + " failed"
                        + (now.error() == null ? "." : ": " + now.error() + "."));
                case "cancelled" -> err.println("Linking " + provider
                        + " was cancelled (another `infershield connect " + provider + "` replaces a pending one).");
                default -> err.println("auth-service reported linking " + provider + " as '" + now.state() + "'.");
            }
            return ExitCodes.FAILED;
        }

        private int refusedWhileFollowing(ApiProblem e) {
            countdown.clear();
            err.println(switch (e.status()) {
                case 401 -> SignInNeeded.refused().getMessage();
                case 404 -> "The link session is gone from " + login.server() + ". Run `infershield connect "
                        + provider + "` again.";
                default -> "Could not follow linking " + provider + ": " + e.getMessage();
            });
            return ExitCodes.FAILED;
        }

        /** The shutdown hook: runs on its own thread while the main one may still be waiting. */
        private void stoppedByUser() {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            countdown.clear();
            err.println(cancelAtServer() ? "Cancelled; " + provider + " is not linked."
                    : "Stopped, but the server could not be told; the code " + session.userCode()
                    + " stays usable until it expires.");
            err.flush();
        }

        private boolean cancelAtServer() {
            try {
                context.links().cancel(login.server(), login.credential(), session.id());
                return true;
            } catch (ServerUnreachableException | OAuthException e) {
                return false;
            }
        }

        private String expired() {
            return "The code expired before it was approved. Run `infershield connect " + provider + "` again.";
        }
    }
}
