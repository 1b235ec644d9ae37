package io.infershield.cli.ide;

import java.nio.file.Path;
import java.util.Optional;

/** The settings that point one IDE assistant at the gateway, and the file they belong in when the command may write it. */
public record IdeSettings(String text, Optional<Path> file, Optional<String> fileContent) {
}
