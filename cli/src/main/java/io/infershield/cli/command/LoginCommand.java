package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.oauth.AccessToken;
import io.infershield.cli.oauth.DeviceAuthorization;
import io.infershield.cli.oauth.LoginFailedException;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.ServerMetadata;
import io.infershield.cli.oauth.ServerUnreachableException;
import io.infershield.cli.oauth.TokenPoller;
import io.infershield.cli.store.StoredLogin;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code infershield login}: the RFC 8628 device flow against auth-service, then stores the gateway credential. */
@Command(name = "login", description = "Sign in through your browser and store the gateway credential.")
public class LoginCommand implements Callable<Integer> {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8081";
    static final String DEFAULT_PROXY = "http://127.0.0.1:8080";
    private static final String SCOPE = "gateway";

    @Option(names = "--server", paramLabel = "URL",
            description = "The auth server (default: the one last signed in to, else " + DEFAULT_SERVER + ").")
    String server;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "The gateway your IDE will use (default: the stored one, else " + DEFAULT_PROXY + ").")
    String proxy;

    @Option(names = "--no-browser", description = "Only print the URL; do not try to open a browser.")
    boolean noBrowser;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<StoredLogin> previous = loadQuietly();
        String serverUrl = Urls.normalize(spec.commandLine(), "--server",
                server != null ? server : previous.map(StoredLogin::server).orElse(DEFAULT_SERVER));
        String proxyUrl = Urls.normalize(spec.commandLine(), "--proxy",
                proxy != null ? proxy : previous.map(StoredLogin::proxy).orElse(DEFAULT_PROXY));

        ServerMetadata metadata;
        DeviceAuthorization authorization;
        try {
            metadata = context.auth().discover(serverUrl);
            authorization = context.auth().authorizeDevice(metadata, SCOPE);
        } catch (ServerUnreachableException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (OAuthException e) {
            err.println("Sign-in failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }

        CodePrompt.show(out, context.browser(), !noBrowser, "To sign in", authorization.userCode(),
                authorization.verificationUri(), authorization.verificationUriComplete());

        AccessToken token;
        try {
            token = new TokenPoller(context.auth(), context.clock(), context.sleeper(), out, context.terminal())
                    .await(metadata, authorization);
        } catch (LoginFailedException e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Sign-in interrupted.");
            return ExitCodes.FAILED;
        }

        Instant expiresAt = token.expiresIn().map(lifetime -> context.clock().instant().plus(lifetime)).orElse(null);
        String where;
        try {
            // a new sign-in may be another account: the previous IDE key is not carried over
            where = context.store().save(new StoredLogin(metadata.issuer(), proxyUrl, token.value(), expiresAt,
                    token.refreshToken(), null, null));
        } catch (IOException e) {
            err.println("Signed in, but the credential could not be stored in " + context.store().file() + ": "
                    + e.getMessage());
            return ExitCodes.FAILED;
        }
        out.println("Credential stored in " + where + ".");
        out.println("Signed in. Point your IDE at " + proxyUrl + "/v1 (see `infershield ide`).");
        return ExitCodes.OK;
    }

    /** A damaged state file must not stop a fresh login, which overwrites it. */
    private Optional<StoredLogin> loadQuietly() {
        try {
            return context.store().load();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
