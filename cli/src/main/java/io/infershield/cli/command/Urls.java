package io.infershield.cli.command;

import picocli.CommandLine;

import java.net.URI;

/** URL options: http(s) with a host, compared and stored without a trailing slash. */
final class Urls {

    private Urls() {
    }

    static String normalize(CommandLine commandLine, String option, String value) {
        String trimmed = value.strip().replaceAll("/+$", "");
        try {
            URI uri = URI.create(trimmed);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return trimmed;
            }
        } catch (IllegalArgumentException e) {
            // reported below like any other malformed URL
        }
        throw new CommandLine.ParameterException(commandLine, option + " must be an http(s) URL, not '" + value + "'");
    }
}
