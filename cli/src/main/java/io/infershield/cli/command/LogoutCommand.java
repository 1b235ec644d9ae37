package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.ServerMetadata;
import io.infershield.cli.oauth.ServerUnreachableException;
import io.infershield.cli.store.StoredLogin;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code infershield logout}: revokes the credential at the server (RFC 7009), then forgets it here. The local copy
 * goes even when revocation fails, and the exit code (1) says that the credential may still work until it expires.
 */
@Command(name = "logout", description = "Revoke the gateway credential and delete it from this machine.")
public class LogoutCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public LogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<StoredLogin> stored = context.store().load();
        if (stored.isEmpty()) {
            out.println("Not signed in.");
            return ExitCodes.OK;
        }
        StoredLogin login = stored.get();
        String problem = null;
        if (login.credential() != null) {
            try {
                ServerMetadata metadata = context.auth().discover(login.server());
                // RFC 7009 §2.1: revoking the refresh token revokes the access credential of its sign-in with it
                if (login.refreshToken() != null) {
                    context.auth().revoke(metadata, login.refreshToken(), "refresh_token");
                } else {
                    context.auth().revoke(metadata, login.credential(), "access_token");
                }
            } catch (ServerUnreachableException e) {
                problem = e.getMessage();
            } catch (OAuthException e) {
                problem = "Revocation failed: " + e.getMessage();
            }
        }
        context.store().delete(login.server());
        if (problem == null) {
            out.println("Signed out of " + login.server() + ". The credential is revoked and deleted from this machine.");
            if (login.personalKey() != null) {
                out.println("The IDE key in your IDE settings stays valid until " + login.personalKeyExpiresAt()
                        + "; revoke it at " + login.server() + "/account if this machine should lose access.");
            }
            return ExitCodes.OK;
        }
        err.println(problem);
        err.println("The credential was deleted from this machine, but the server could not revoke it: it stays valid"
                + (login.expiresAt() == null ? " until it expires." : " until " + login.expiresAt() + "."));
        return ExitCodes.FAILED;
    }
}
