package io.infershield.cli.config;

import io.infershield.cli.desktop.Browser;
import io.infershield.cli.desktop.ShutdownHooks;
import io.infershield.cli.oauth.AuthServerClient;
import io.infershield.cli.oauth.LinkClient;
import io.infershield.cli.oauth.Sleeper;
import io.infershield.cli.store.CredentialStore;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything the commands touch outside themselves, in one place so that tests can hand them a fake clock, sleeper,
 * browser, shutdown hooks and home directory without booting Quarkus.
 *
 * @param links    auth-service's link API, on the same server as {@code auth}
 * @param terminal whether stdout is a terminal, so that progress may redraw one line
 * @param home     the user's home directory, where IDE configuration files live
 */
public record CliContext(AuthServerClient auth, LinkClient links, CredentialStore store, Clock clock, Sleeper sleeper,
                         Browser browser, ShutdownHooks shutdownHooks, boolean terminal, Path home) {
}
