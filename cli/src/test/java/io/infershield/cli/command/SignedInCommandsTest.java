package io.infershield.cli.command;

import io.infershield.cli.store.StoredLogin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.infershield.cli.command.FakeAuthServer.CREDENTIAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** status, logout and ide, starting from a stored login. */
class SignedInCommandsTest {

    static final String PROXY = "http://127.0.0.1:8080";

    @TempDir
    Path temp;

    FakeAuthServer auth;
    CliRunner cli;

    @BeforeEach
    void signIn() throws Exception {
        auth = new FakeAuthServer().start();
        cli = new CliRunner(temp);
        cli.store.save(new StoredLogin(auth.url(), PROXY, CREDENTIAL, CliRunner.START.plus(Duration.ofDays(30))));
    }

    @AfterEach
    void stop() {
        auth.stop();
    }

    @Test
    void statusShowsServerAndExpiryButOnlyAPrefixOfTheCredential() {
        CliRunner.Result result = cli.run("status");

        assertEquals(0, result.exit());
        assertEquals("""
                Signed in to %s
                  credential: isk_AbCd…
                  expires:    2025-01-31T10:00:00Z (in 30 days)
                  gateway:    http://127.0.0.1:8080/v1
                """.formatted(auth.url()), result.out());
        assertFalse(result.all().contains(CREDENTIAL.substring(0, 9)));
    }

    @Test
    void statusAfterExpiryIsNotSignedIn() {
        cli.clock.advance(Duration.ofDays(31));

        CliRunner.Result result = cli.run("status");

        assertEquals(1, result.exit());
        assertTrue(result.out().startsWith("Not signed in: the credential for " + auth.url() + " expired"), result.out());
    }

    @Test
    void logoutRevokesAtTheServerAndDeletesTheFile() {
        CliRunner.Result result = cli.run("logout");

        assertEquals(0, result.exit(), result.all());
        auth.server.verify(postRequestedFor(urlEqualTo("/oauth/revoke"))
                .withRequestBody(equalTo("token=" + CREDENTIAL + "&token_type_hint=access_token&client_id=infershield-cli")));
        assertFalse(Files.exists(cli.store.file()));
        assertEquals(1, cli.run("status").exit());
    }

    @Test
    void logoutWithTheServerDownStillDeletesLocallyAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String server = "http://127.0.0.1:" + closedPort;
        cli.store.save(new StoredLogin(server, PROXY, CREDENTIAL, CliRunner.START.plus(Duration.ofDays(30))));

        CliRunner.Result result = cli.run("logout");

        assertEquals(1, result.exit());
        assertEquals("Cannot reach " + server + ": connection refused\n"
                + "The credential was deleted from this machine, but the server could not revoke it: it stays valid"
                + " until 2025-01-31T10:00:00Z.\n", result.err());
        assertFalse(Files.exists(cli.store.file()));
    }

    @Test
    void continueSettingsPointAtTheGatewayWithTheCredential() {
        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("    apiBase: http://127.0.0.1:8080/v1\n"), result.out());
        assertTrue(result.out().contains("    apiKey: " + CREDENTIAL + "\n"), result.out());
        assertTrue(result.out().contains("    provider: openai\n"), result.out());
    }

    @Test
    void codexSettingsNameTheBaseUrlAndTheEnvironmentVariable() {
        CliRunner.Result result = cli.run("ide", "codex");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("base_url = \"http://127.0.0.1:8080/v1\"\n"), result.out());
        assertTrue(result.out().contains("env_key = \"INFERSHIELD_API_KEY\"\n"), result.out());
        assertTrue(result.out().contains("export INFERSHIELD_API_KEY=" + CREDENTIAL + "\n"), result.out());
    }

    @Test
    void claudeCodeSettingsUseTheAnthropicVariables() {
        CliRunner.Result result = cli.run("ide", "claude-code");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("export ANTHROPIC_BASE_URL=http://127.0.0.1:8080\n"), result.out());
        assertTrue(result.out().contains("export ANTHROPIC_AUTH_TOKEN=" + CREDENTIAL + "\n"), result.out());
    }

    @Test
    void writeCreatesTheCodexFileAndRefusesToOverwriteItWithoutForce() throws Exception {
        Path file = cli.home.resolve(".codex/config.toml");

        assertEquals(0, cli.run("ide", "codex", "--write").exit());
        assertTrue(Files.readString(file).contains("base_url = \"http://127.0.0.1:8080/v1\""));
        assertFalse(Files.readString(file).contains(CREDENTIAL), "Codex reads the credential from the environment");

        CliRunner.Result again = cli.run("ide", "codex", "--write");
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith(file + " already exists; not replacing it."), again.err());

        assertEquals(0, cli.run("ide", "codex", "--write", "--force", "--model", "gpt-4.1").exit());
        assertTrue(Files.readString(file).startsWith("model = \"gpt-4.1\"\n"));
    }

    @Test
    void writtenContinueFileIsOwnerOnlyBecauseItHoldsTheCredential() throws Exception {
        assertEquals(0, cli.run("ide", "continue", "--write").exit());

        Path file = cli.home.resolve(".continue/config.yaml");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void writeIsAUsageErrorForToolsWithoutAFile() {
        CliRunner.Result result = cli.run("ide", "cursor", "--write");

        assertEquals(2, result.exit());
        assertEquals("--write works for continue and codex only; cursor is set up by hand.\n", result.err());
        assertEquals("", result.out());
    }

    @Test
    void unknownToolIsAUsageError() {
        assertEquals(2, cli.run("ide", "vim").exit());
    }
}
