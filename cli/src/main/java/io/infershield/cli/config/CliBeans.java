package io.infershield.cli.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.cli.desktop.Browser;
import io.infershield.cli.desktop.ShutdownHooks;
import io.infershield.cli.oauth.AuthServerClient;
import io.infershield.cli.oauth.LinkClient;
import io.infershield.cli.oauth.Sleeper;
import io.infershield.cli.store.CredentialStore;
import io.infershield.cli.store.KeyringSecretStore;
import io.infershield.cli.store.SecretStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Wires the real clock, network, keyring, browser and shutdown hooks for the packaged command. */
public class CliBeans {

    @Produces
    @Singleton
    CliContext context(CliConfig config, ObjectMapper json) {
        // Device codes and credentials travel in POST bodies: never replay them to wherever a redirect points.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        Optional<SecretStore> keyring = "off".equalsIgnoreCase(config.keyring())
                ? Optional.empty() : Optional.of(new KeyringSecretStore());
        Path home = Path.of(System.getProperty("user.home"));
        CredentialStore store = new CredentialStore(config.configDir().orElseGet(() -> defaultDirectory(home)), keyring, json);
        return new CliContext(new AuthServerClient(http, json, config.clientId()), new LinkClient(http, json), store,
                Clock.systemUTC(), Sleeper.SYSTEM, Browser.SYSTEM, ShutdownHooks.SYSTEM, System.console() != null, home);
    }

    /** XDG Base Directory Specification: {@code $XDG_CONFIG_HOME}, which defaults to {@code ~/.config}. */
    private static Path defaultDirectory(Path home) {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg == null || xdg.isBlank() ? home.resolve(".config") : Path.of(xdg);
        return base.resolve("infershield");
    }
}
