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
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.infershield.cli.command.FakeAuthServer.CREDENTIAL;
import static io.infershield.cli.command.FakeAuthServer.PERSONAL_KEY;
import static io.infershield.cli.command.FakeAuthServer.REFRESH_TOKEN;
import static io.infershield.cli.command.FakeAuthServer.ROTATED_CREDENTIAL;
import static io.infershield.cli.command.FakeAuthServer.ROTATED_REFRESH_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** status, logout and ide, starting from a stored login. */
class SignedInCommandsTest {

    static final String PROXY = "http://127.0.0.1:8080";
    static final String KEYS = "/api/me/personal-keys";

    @TempDir
    Path temp;

    FakeAuthServer auth;
    CliRunner cli;

    @BeforeEach
    void signIn() throws Exception {
        auth = new FakeAuthServer().start();
        cli = new CliRunner(temp);
        cli.store.save(new StoredLogin(auth.url(), PROXY, CREDENTIAL, CliRunner.START.plus(Duration.ofDays(30)),
                REFRESH_TOKEN, null, null));
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
                .withRequestBody(equalTo("token=" + REFRESH_TOKEN + "&token_type_hint=refresh_token&client_id=infershield-cli")));
        assertFalse(Files.exists(cli.store.file()));
        assertEquals(1, cli.run("status").exit());
    }

    @Test
    void logoutWithoutARefreshTokenRevokesTheAccessCredential() throws Exception {
        cli.store.save(new StoredLogin(auth.url(), PROXY, CREDENTIAL, CliRunner.START.plus(Duration.ofDays(30))));

        assertEquals(0, cli.run("logout").exit());

        auth.server.verify(postRequestedFor(urlEqualTo("/oauth/revoke"))
                .withRequestBody(equalTo("token=" + CREDENTIAL + "&token_type_hint=access_token&client_id=infershield-cli")));
    }

    @Test
    void logoutSaysThatTheIdeKeyStaysValid() {
        assertEquals(0, cli.run("ide", "cursor").exit());

        CliRunner.Result result = cli.run("logout");

        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("The IDE key in your IDE settings stays valid until "
                + FakeAuthServer.PERSONAL_KEY_EXPIRES_AT + "; revoke it at " + auth.url() + "/account"), result.out());
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
    void continueSettingsPointAtTheGatewayWithThePersonalKey() {
        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("    apiBase: http://127.0.0.1:8080/v1\n"), result.out());
        assertTrue(result.out().contains("    apiKey: " + PERSONAL_KEY + "\n"), result.out());
        assertTrue(result.out().contains("    provider: openai\n"), result.out());
    }

    @Test
    void codexSettingsNameTheBaseUrlAndTheEnvironmentVariable() {
        CliRunner.Result result = cli.run("ide", "codex");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("base_url = \"http://127.0.0.1:8080/v1\"\n"), result.out());
        assertTrue(result.out().contains("env_key = \"INFERSHIELD_API_KEY\"\n"), result.out());
        assertTrue(result.out().contains("export INFERSHIELD_API_KEY=" + PERSONAL_KEY + "\n"), result.out());
    }

    @Test
    void claudeCodeSettingsUseTheAnthropicVariables() {
        CliRunner.Result result = cli.run("ide", "claude-code");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("export ANTHROPIC_BASE_URL=http://127.0.0.1:8080\n"), result.out());
        assertTrue(result.out().contains("export ANTHROPIC_AUTH_TOKEN=" + PERSONAL_KEY + "\n"), result.out());
        assertTrue(result.out().contains("the gateway serves it at http://127.0.0.1:8080/v1/messages"), result.out());
    }

    @Test
    void writeCreatesTheCodexFileAndRefusesToOverwriteItWithoutForce() throws Exception {
        Path file = cli.home.resolve(".codex/config.toml");

        assertEquals(0, cli.run("ide", "codex", "--write").exit());
        assertTrue(Files.readString(file).contains("base_url = \"http://127.0.0.1:8080/v1\""));
        assertTrue(Files.readString(file).contains("wire_api = \"responses\""));
        assertFalse(Files.readString(file).contains(PERSONAL_KEY), "Codex reads the key from the environment");

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
        auth.server.verify(0, postRequestedFor(urlEqualTo(KEYS)));
    }

    @Test
    void ideCreatesAPersonalKeyOnceAndReusesItWithoutPrintingTheAccessCredential() throws Exception {
        CliRunner.Result first = cli.run("ide", "continue");
        CliRunner.Result second = cli.run("ide", "claude-code");

        assertEquals(0, first.exit(), first.all());
        assertEquals(0, second.exit(), second.all());
        auth.server.verify(1, postRequestedFor(urlEqualTo(KEYS)));
        auth.server.verify(postRequestedFor(urlEqualTo(KEYS))
                .withHeader("Authorization", equalTo("Bearer " + CREDENTIAL))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.name", matching("infershield ide continue@.+")))
                .withRequestBody(matchingJsonPath("$.days", equalTo("90"))));
        assertTrue(second.out().contains("export ANTHROPIC_AUTH_TOKEN=" + PERSONAL_KEY + "\n"), second.out());
        assertFalse(first.all().contains(CREDENTIAL) || second.all().contains(CREDENTIAL));

        StoredLogin stored = cli.store.load().orElseThrow();
        assertEquals(PERSONAL_KEY, stored.personalKey());
        assertEquals(Instant.parse(FakeAuthServer.PERSONAL_KEY_EXPIRES_AT), stored.personalKeyExpiresAt());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.store.file())));
    }

    @Test
    void aKeyWithinAWeekOfItsExpiryIsReplaced() throws Exception {
        cli.store.save(cli.store.load().orElseThrow()
                .withPersonalKey("isk_OldOldOldOldOldOldOldOldOldOld01234567", CliRunner.START.plus(Duration.ofDays(6))));

        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(0, result.exit(), result.all());
        auth.server.verify(1, postRequestedFor(urlEqualTo(KEYS)));
        assertTrue(result.out().contains("    apiKey: " + PERSONAL_KEY + "\n"), result.out());
    }

    @Test
    void anExpiredAccessCredentialIsRefreshedAndTheRotatedPairStoredBeforeTheKeyIsCreated() throws Exception {
        auth.refreshAnswers(true);
        cli.clock.advance(Duration.ofDays(31));

        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(0, result.exit(), result.all());
        auth.server.verify(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=" + REFRESH_TOKEN))
                .withRequestBody(containing("client_id=infershield-cli")));
        auth.server.verify(1, postRequestedFor(urlEqualTo(KEYS))
                .withHeader("Authorization", equalTo("Bearer " + ROTATED_CREDENTIAL)));
        assertTrue(result.out().contains("    apiKey: " + PERSONAL_KEY + "\n"), result.out());

        StoredLogin stored = cli.store.load().orElseThrow();
        assertEquals(ROTATED_CREDENTIAL, stored.credential());
        assertEquals(ROTATED_REFRESH_TOKEN, stored.refreshToken());
        assertEquals(cli.clock.instant().plusSeconds(3600), stored.expiresAt());
        assertEquals(PERSONAL_KEY, stored.personalKey());
    }

    @Test
    void aRefusedRefreshSaysToLogInAgainAndCreatesNoKey() {
        auth.refreshAnswers(false);
        cli.clock.advance(Duration.ofDays(31));

        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertTrue(result.err().startsWith("Your sign-in could not be renewed (invalid_grant: "), result.err());
        assertTrue(result.err().endsWith(" Run `infershield login` again.\n"), result.err());
        auth.server.verify(0, postRequestedFor(urlEqualTo(KEYS)));
    }

    @Test
    void anAccessCredentialTheServerRefusesSaysToLogInAgain() throws Exception {
        cli.store.save(new StoredLogin(auth.url(), PROXY, "isk_RevokedRevokedRevokedRevoked0123456",
                CliRunner.START.plus(Duration.ofDays(30))));
        auth.server.stubFor(post(KEYS).atPriority(1).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_token\"}")));

        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(1, result.exit());
        assertEquals("The server no longer accepts your sign-in. Run `infershield login` again.\n", result.err());
    }

    @Test
    void signedOutIdeSaysToLogIn() throws Exception {
        cli.store.delete(auth.url());

        CliRunner.Result result = cli.run("ide", "continue");

        assertEquals(1, result.exit());
        assertEquals("Not signed in. Run `infershield login` first.\n", result.err());
    }

    @Test
    void statusShowsOnlyAPrefixOfThePersonalKey() {
        assertEquals(0, cli.run("ide", "cursor").exit());

        CliRunner.Result result = cli.run("status");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("  IDE key:    isk_Pers… (expires " + FakeAuthServer.PERSONAL_KEY_EXPIRES_AT
                + ")\n"), result.out());
        assertFalse(result.all().contains(PERSONAL_KEY.substring(0, 9)), result.all());
    }

    @Test
    void unknownToolIsAUsageError() {
        assertEquals(2, cli.run("ide", "vim").exit());
    }
}
