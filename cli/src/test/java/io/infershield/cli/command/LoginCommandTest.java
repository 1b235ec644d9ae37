package io.infershield.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.infershield.cli.command.FakeAuthServer.CREDENTIAL;
import static io.infershield.cli.command.FakeAuthServer.DEVICE_CODE;
import static io.infershield.cli.command.FakeAuthServer.REFRESH_TOKEN;
import static io.infershield.cli.command.FakeAuthServer.USER_CODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginCommandTest {

    @TempDir
    Path temp;

    FakeAuthServer auth;
    CliRunner cli;

    @BeforeEach
    void start() {
        auth = new FakeAuthServer().start();
        cli = new CliRunner(temp);
    }

    @AfterEach
    void stop() {
        auth.stop();
    }

    @Test
    void approvedLoginStoresTheCredentialInAnOwnerOnlyFile() throws Exception {
        auth.tokenAnswers("authorization_pending", "ok");

        CliRunner.Result result = cli.run("login", "--server", auth.url() + "/", "--proxy", "https://gw.example.test");

        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("Code: " + USER_CODE + "\n"), result.out());
        assertTrue(result.out().contains(auth.url() + "/device?user_code=" + USER_CODE), result.out());
        assertTrue(result.out().endsWith(
                "Signed in. Point your IDE at https://gw.example.test/v1 (see `infershield ide`).\n"), result.out());
        assertEquals(List.of(URI.create(auth.url() + "/device?user_code=" + USER_CODE)), cli.opened);

        Path file = cli.store.file();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        JsonNode stored = new ObjectMapper().readTree(file.toFile());
        assertEquals(auth.url(), stored.get("server").asText());
        assertEquals("https://gw.example.test", stored.get("proxy").asText());
        assertEquals(CREDENTIAL, stored.get("credential").asText());
        assertEquals(REFRESH_TOKEN, stored.get("refreshToken").asText());
        assertEquals("file", stored.get("storage").asText());
        // Two polls of 5 s, then the credential's 30 days.
        assertEquals(CliRunner.START.plusSeconds(10).plus(Duration.ofDays(30)).toString(), stored.get("expiresAt").asText());
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        auth.server.verify(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("device_code=" + DEVICE_CODE))
                .withRequestBody(containing("client_id=infershield-cli")));
    }

    @Test
    void slowDownAddsFiveSecondsToTheIntervalForGood() {
        auth.tokenAnswers("authorization_pending", "slow_down", "authorization_pending", "ok");

        CliRunner.Result result = cli.run("login", "--server", auth.url(), "--no-browser");

        assertEquals(0, result.exit(), result.all());
        assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)),
                cli.sleeps);
        assertTrue(cli.opened.isEmpty(), "--no-browser opens nothing");
    }

    @Test
    void deniedSignInFailsWithOneClearLine() {
        auth.tokenAnswers("authorization_pending", "access_denied");

        CliRunner.Result result = cli.run("login", "--server", auth.url(), "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Sign-in was denied in the browser.\n", result.err());
        assertFalse(Files.exists(cli.store.file()));
    }

    @Test
    void expiredCodeFailsAndSaysToLogInAgain() {
        auth.tokenAnswers("expired_token");

        CliRunner.Result result = cli.run("login", "--server", auth.url(), "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("The code expired before it was approved. Run `infershield login` again.\n", result.err());
    }

    @Test
    void codeThatRunsOutOfTimeLocallyStopsPollingWithTheExpiryMessage() {
        String[] pending = new String[200];
        java.util.Arrays.fill(pending, "authorization_pending");
        auth.tokenAnswers(pending);

        CliRunner.Result result = cli.run("login", "--server", auth.url(), "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("The code expired before it was approved. Run `infershield login` again.\n", result.err());
        // 900 s at 5 s: the 180th wait reaches the deadline, and no poll is sent after it.
        assertEquals(180, cli.sleeps.size());
        assertTrue(result.out().contains("Waiting for approval in the browser… 15:00 left"), result.out());
    }

    @Test
    void unexpectedTokenErrorFailsWithTheServersWords() {
        auth.tokenAnswers("invalid_grant");

        CliRunner.Result result = cli.run("login", "--server", auth.url(), "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Sign-in failed: invalid_grant: as the test says\n", result.err());
    }

    @Test
    void unreachableServerIsNamedInTheMessage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String server = "http://127.0.0.1:" + closedPort;

        CliRunner.Result result = cli.run("login", "--server", server, "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Cannot reach " + server + ": connection refused\n", result.err());
    }

    @Test
    void deviceCodeNeverReachesTheOutput() {
        auth.tokenAnswers("authorization_pending", "slow_down", "access_denied");

        CliRunner.Result result = cli.run("login", "--server", auth.url());

        assertFalse(result.all().contains(DEVICE_CODE), result.all());
        assertFalse(result.all().contains("dc_"), result.all());
    }

    @Test
    void serverThatNamesAnotherIssuerIsRefused() {
        CliRunner.Result result = cli.run("login", "--server", "http://localhost:" + auth.server.port(), "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Sign-in failed: The server at http://localhost:" + auth.server.port() + " names itself "
                + auth.url() + "; sign in with --server " + auth.url() + ".\n", result.err());
    }

    @Test
    void nonHttpServerIsAUsageError() {
        CliRunner.Result result = cli.run("login", "--server", "file:///etc/passwd");

        assertEquals(2, result.exit());
        assertTrue(result.err().startsWith("--server must be an http(s) URL"), result.err());
    }
}
