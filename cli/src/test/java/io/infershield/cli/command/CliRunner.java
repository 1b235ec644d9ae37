package io.infershield.cli.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.cli.config.CliContext;
import io.infershield.cli.desktop.Browser;
import io.infershield.cli.desktop.ShutdownHooks;
import io.infershield.cli.oauth.AuthServerClient;
import io.infershield.cli.oauth.LinkClient;
import io.infershield.cli.oauth.Sleeper;
import io.infershield.cli.store.CredentialStore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the command line as the jar would, minus Quarkus: a fake clock that only the fake sleeper moves, no keyring, and
 * shutdown hooks that only {@link #pressCtrlC()} runs.
 */
final class CliRunner {

    static final Instant START = Instant.parse("2025-01-01T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final List<Duration> sleeps = new ArrayList<>();
    final List<URI> opened = new ArrayList<>();
    /** The shutdown hooks registered and not yet removed. */
    final List<Runnable> hooks = new ArrayList<>();
    /** Whether stdout is a terminal. */
    boolean terminal;
    /** When set, the user presses Ctrl-C during this sleep (1 = the first). */
    int ctrlCAtSleep;
    final CredentialStore store;
    final Path home;

    CliRunner(Path temp) {
        this.store = new CredentialStore(temp.resolve("config"), Optional.empty(), new ObjectMapper());
        this.home = temp.resolve("home");
    }

    Result run(String... args) {
        Sleeper sleeper = duration -> {
            sleeps.add(duration);
            clock.advance(duration);
            if (sleeps.size() == ctrlCAtSleep) {
                pressCtrlC();
            }
        };
        Browser browser = uri -> opened.add(uri);
        ShutdownHooks shutdownHooks = hook -> {
            hooks.add(hook);
            return () -> hooks.remove(hook);
        };
        HttpClient http = HttpClient.newHttpClient();
        CliContext context = new CliContext(new AuthServerClient(http, new ObjectMapper(), "infershield-cli"),
                new LinkClient(http, new ObjectMapper()), store, clock, sleeper, browser, shutdownHooks, terminal, home);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    return type.getDeclaredConstructor(CliContext.class).newInstance(context);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new InfershieldCommand(), factory)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** What the JVM does on SIGINT: run the shutdown hooks, while the main thread is where it was. */
    void pressCtrlC() {
        List.copyOf(hooks).forEach(Runnable::run);
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
