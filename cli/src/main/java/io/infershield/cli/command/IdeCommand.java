package io.infershield.cli.command;

import io.infershield.cli.config.CliContext;
import io.infershield.cli.ide.IdeSettings;
import io.infershield.cli.ide.IdeTool;
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
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code infershield ide <tool>}: the settings that send an IDE assistant's traffic through the gateway. */
@Command(name = "ide", description = "Print (or write) the settings that point an IDE assistant at the gateway.")
public class IdeCommand implements Callable<Integer> {

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
        Optional<StoredLogin> stored = context.store().load();
        if (stored.isEmpty() || stored.get().credential() == null || stored.get().expired(context.clock().instant())) {
            err.println("Not signed in. Run `infershield login` first.");
            return ExitCodes.FAILED;
        }
        IdeSettings settings = tool.settings(stored.get().proxy(), stored.get().credential(), model, context.home());
        if (write && settings.file().isEmpty()) {
            err.println("--write works for continue and codex only; " + tool.command() + " is set up by hand.");
            return ExitCodes.USAGE;
        }
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
