package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.oauth.Redaction;
import io.infershield.cli.store.StoredLogin;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code infershield status}: whether this machine is signed in, where and until when. Exit 1 when it is not. */
@Command(name = "status", description = "Show whether you are signed in.")
public class StatusCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public StatusCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Optional<StoredLogin> stored = context.store().load();
        if (stored.isEmpty()) {
            out.println("Not signed in. Run `infershield login`.");
            return ExitCodes.FAILED;
        }
        StoredLogin login = stored.get();
        Instant now = context.clock().instant();
        if (login.credential() == null) {
            out.println("Not signed in: the credential for " + login.server()
                    + " is missing from the OS keyring. Run `infershield login`.");
            return ExitCodes.FAILED;
        }
        if (login.expired(now)) {
            out.println("Not signed in: the credential for " + login.server() + " expired at " + login.expiresAt()
                    + ". Run `infershield login`.");
            return ExitCodes.FAILED;
        }
        out.println("Signed in to " + login.server());
        out.println("  credential: " + Redaction.prefix(login.credential()));
        out.println("  expires:    " + (login.expiresAt() == null ? "not stated by the server"
                : login.expiresAt() + " (in " + human(Duration.between(now, login.expiresAt())) + ")"));
        out.println("  gateway:    " + login.proxy() + "/v1");
        if (login.personalKey() != null) {
            out.println("  IDE key:    " + Redaction.prefix(login.personalKey()) + " (expires "
                    + login.personalKeyExpiresAt() + ")");
        }
        return ExitCodes.OK;
    }

    private static String human(Duration left) {
        if (left.toDays() >= 2) {
            return left.toDays() + " days";
        }
        if (left.toHours() >= 2) {
            return left.toHours() + " hours";
        }
        return Math.max(1, left.toMinutes()) + " minutes";
    }
}
