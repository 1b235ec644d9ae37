package io.infershield.cli.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** Settings of the {@code infershield} command; each entry can be set through its {@code INFERSHIELD_*} environment variable. */
@ConfigMapping(prefix = "infershield")
public interface CliConfig {

    /**
     * Directory holding {@code credentials.json} ({@code INFERSHIELD_CONFIG_DIR}). Without it the command uses
     * {@code $XDG_CONFIG_HOME/infershield}, or {@code ~/.config/infershield}.
     */
    Optional<Path> configDir();

    /** {@code off} keeps the credential out of the OS keyring and in the 0600 file ({@code INFERSHIELD_KEYRING}); tests and CI use it. */
    @WithDefault("on")
    String keyring();

    /** The OAuth client this command is registered as at auth-service. */
    @WithDefault("infershield-cli")
    String clientId();
}
