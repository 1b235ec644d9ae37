package io.infershield.cli.command;

/** The command's exit codes; picocli already answers {@link #USAGE} for bad arguments. */
final class ExitCodes {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private ExitCodes() {
    }
}
