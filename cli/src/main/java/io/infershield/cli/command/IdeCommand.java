package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.ide.IdeSettings;
import io.infershield.cli.ide.IdeTool;
import io.infershield.cli.oauth.OAuthException;
import io.infershield.cli.oauth.PersonalKey;
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
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code infershield ide <tool>}: the settings that send an IDE assistant's traffic through the gateway. They carry a
 * personal key rather than the one-hour access credential, since IDEs keep the key in their settings for months.
 */
@Command(name = "ide", description = "Print (or write) the settings that point an IDE assistant at the gateway.")
public class IdeCommand implements Callable<Integer> {

    /** A key closer than this to its expiry is replaced, so that IDEs do not stop working in the middle of a week. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(7);
    /** The longest lifetime auth-service allows by default. */
    private static final int KEY_DAYS = 90;

    @Parameters(index = "0", paramLabel = "TOOL", converter = ToolConverter.class,
            description = "cursor, continue, claude-code or codex")
    IdeTool tool;

    @Option(names = "--model", paramLabel = "NAME", defaultValue = "gpt-4o-mini",
            description = "The model the tool should ask the gateway for (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--write", description = "Write the configuration file (continue and codex only).")
    boolean write;

    @Option(names = "--force", description = "With --write: replace an existing file.")
    boolean force;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    private final CliContext context;

    @Inject
    public IdeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StoredLogin login;
        try {
            login = SignIn.stored(context);
        } catch (SignInNeeded e) {
            err.println(e.getMessage());
            return ExitCodes.FAILED;
        }
        // which file a tool uses does not depend on the key, so a usage error costs no key
        if (write && tool.settings(login.proxy(), "", model, context.home()).file().isEmpty()) {
            err.println("--write works for continue and codex only; " + tool.command() + " is set up by hand.");
            return ExitCodes.USAGE;
        }
        if (!login.personalKeyLasts(context.clock().instant(), RENEW_BEFORE)) {
            try {
                login = withNewPersonalKey(login);
            } catch (SignInNeeded e) {
                err.println(e.getMessage());
                return ExitCodes.FAILED;
            } catch (ServerUnreachableException e) {
                err.println(e.getMessage());
                return ExitCodes.FAILED;
            } catch (OAuthException e) {
                err.println("Could not create an IDE key: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        IdeSettings settings = tool.settings(login.proxy(), login.personalKey(), model, context.home());
        out.print(settings.text());
        if (!write) {
            return ExitCodes.OK;
        }
        Path file = settings.file().orElseThrow();
        if (Files.exists(file) && !force) {
            err.println(file + " already exists; not replacing it. Merge the settings above by hand, or add --force.");
            return ExitCodes.FAILED;
        }
        writeOwnerOnly(file, settings.fileContent().orElseThrow());
        out.println("Wrote " + file + ".");
        return ExitCodes.OK;
    }

    /** Creates a personal key with a live access credential and stores it. */
    private StoredLogin withNewPersonalKey(StoredLogin login)
            throws IOException, SignInNeeded, ServerUnreachableException, OAuthException {
        login = SignIn.live(context, login);
        PersonalKey key;
        try {
            key = context.auth().createPersonalKey(login.server(), login.credential(), keyName(), KEY_DAYS);
        } catch (OAuthException e) {
            if ("invalid_token".equals(e.error())) {
                throw SignInNeeded.refused();
            }
            throw e;
        }
        login = login.withPersonalKey(key.value(), key.expiresAt());
        context.store().save(login);
        return login;
    }

    /** Names the key after tool and machine, so that the account page tells the user which one to revoke. */
    private String keyName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String name = "infershield ide " + tool.command() + "@" + host;
        // auth-service takes names of at most 64 characters
        return name.length() <= 64 ? name : name.substring(0, 64);
    }

    /** Continue's file holds the credential itself, so it gets the same 0600 as ours. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
    }

    /** Tool names on the command line are kebab-case ({@code claude-code}), unlike the enum constants. */
    static class ToolConverter implements CommandLine.ITypeConverter<IdeTool> {
        @Override
        public IdeTool convert(String value) {
            return IdeTool.of(value).orElseThrow(() -> new CommandLine.TypeConversionException("unknown tool '" + value
                    + "'; use one of " + Arrays.stream(IdeTool.values()).map(IdeTool::command)
                    .collect(Collectors.joining(", "))));
        }
    }
}
