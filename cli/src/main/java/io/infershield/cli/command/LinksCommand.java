package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.oauth.ApiProblem;
import io.infershield.cli.oauth.Link;
import io.infershield.cli.oauth.Links;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.ServerUnreachableException;
import io.infershield.cli.store.StoredLogin;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code infershield links}: the upstream accounts linked to the gateway, and those waiting for approval. */
@Command(name = "links", description = "List your linked upstream accounts.")
public class LinksCommand implements Callable<Integer> {

    private static final List<String> HEADER = List.of("PROVIDER", "STATE", "SCOPES", "EXPIRES");

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public LinksCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Links links;
        try {
            StoredLogin login = SignIn.live(context, SignIn.stored(context));
            links = context.links().list(login.server(), login.credential());
        } catch (SignInNeeded e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (ServerUnreachableException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (ApiProblem e) {
            err.println(e.status() == 401 ? SignInNeeded.refused().getMessage()
                    : "Could not list your links: " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (OAuthException e) {
            err.println("Could not list your links: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (json) {
            out.println(links.json().strip());
            return ExitCodes.OK;
        }
        if (links.links().isEmpty()) {
            out.println("No linked accounts. Run `infershield connect github` to link one.");
            return ExitCodes.OK;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Link link : links.links()) {
            rows.add(List.of(link.provider(), link.state(),
                    link.scopes().isEmpty() ? "-" : String.join(",", link.scopes()), expires(link)));
        }
        printTable(out, rows);
        for (Link link : links.links()) {
            if (link.broken()) {
                out.println(link.provider() + " is broken" + (link.brokenReason() == null ? "" : ": "
                        + link.brokenReason()) + ". Run `infershield connect " + link.provider() + "` to link it again.");
            }
        }
        return ExitCodes.OK;
    }

    /** A token without an expiry (GitHub's, for one) shows when it was linked instead. */
    private static String expires(Link link) {
        if (link.expiresAt() != null) {
            return link.expiresAt();
        }
        return link.linkedAt() == null ? "-" : "never (linked " + link.linkedAt() + ")";
    }

    private static void printTable(PrintWriter out, List<List<String>> rows) {
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                line.append(i == widths.length - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
