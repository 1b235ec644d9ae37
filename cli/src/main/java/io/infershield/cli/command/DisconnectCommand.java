package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.oauth.ApiProblem;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.ServerUnreachableException;
import io.infershield.cli.store.StoredLogin;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code infershield disconnect <provider>}: removes the link (token-service revokes the token upstream where the
 * provider allows it) and cancels a pending session for that provider.
 */
@Command(name = "disconnect", description = "Remove the link to your account at an upstream provider.")
public class DisconnectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PROVIDER", converter = ProviderConverter.class,
            description = "The provider, as `infershield links` names it")
    String provider;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public DisconnectCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            StoredLogin login = SignIn.live(context, SignIn.stored(context));
            context.links().remove(login.server(), login.credential(), provider);
        } catch (SignInNeeded e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (ServerUnreachableException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (ApiProblem e) {
            err.println(switch (e.status()) {
                case 401 -> SignInNeeded.refused().getMessage();
                case 404 -> "No " + provider + " link.";
                default -> "Could not disconnect " + provider + ": " + e.getMessage();
            });
            return ExitCodes.FAILED;
        } catch (OAuthException e) {
            err.println("Could not disconnect " + provider + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        out.println("Disconnected " + provider + ".");
        return ExitCodes.OK;
    }
}
