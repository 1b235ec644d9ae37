package io.infershield.cli.command;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code infershield}: sign in to the InferShield gateway, link upstream accounts and point IDE assistants at it. */
@TopCommand
@Command(name = "infershield",
        description = "Sign in to the InferShield gateway, link your upstream accounts and point your IDE assistant at it.",
        subcommands = {LoginCommand.class, StatusCommand.class, LogoutCommand.class, IdeCommand.class,
                ConnectCommand.class, LinksCommand.class, DisconnectCommand.class})
public class InfershieldCommand implements Callable<Integer> {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: show what there is, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
