package io.infershield.cli.command;

import io.infershield.cli.store.StoredLogin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.infershield.cli.command.FakeAuthServer.CREDENTIAL;
import static io.infershield.cli.command.FakeAuthServer.LINK_USER_CODE;
import static io.infershield.cli.command.FakeAuthServer.LINK_VERIFICATION_URI;
import static io.infershield.cli.command.FakeAuthServer.REFRESH_TOKEN;
import static io.infershield.cli.command.FakeAuthServer.ROTATED_CREDENTIAL;
import static io.infershield.cli.command.FakeAuthServer.ROTATED_REFRESH_TOKEN;
import static io.infershield.cli.command.FakeAuthServer.SESSION_PATH;
import static io.infershield.cli.command.FakeAuthServer.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** connect, links and disconnect against auth-service's link API. */
class LinkCommandsTest {

    static final String PROMPT = """
            To link github, open https://github.com/login/device and enter the code.
            Code: WDJB-MJHT
            """;
    static final String OPENED = "Opened your browser. Check that it shows the code WDJB-MJHT.\n";
    static final String FIRST_WAIT = "Waiting for approval at github… 15:00 left\n";

    @TempDir
    Path temp;

    FakeAuthServer auth;
    CliRunner cli;

    @BeforeEach
    void signIn() throws Exception {
        auth = new FakeAuthServer().start();
        cli = new CliRunner(temp);
        cli.store.save(new StoredLogin(auth.url(), "http://127.0.0.1:8080", CREDENTIAL,
                CliRunner.START.plus(Duration.ofHours(1)), REFRESH_TOKEN, null, null));
        auth.linkStarts(CREDENTIAL);
    }

    @AfterEach
    void stop() {
        auth.stop();
    }

    @Test
    void approvedLinkShowsTheCodeOpensTheBrowserAndSaysLinked() {
        auth.sessionAnswers("pending", "pending", "linked");

        CliRunner.Result result = cli.run("connect", "github");

        assertEquals(0, result.exit(), result.all());
        assertEquals(PROMPT + OPENED + FIRST_WAIT + "Linked github.\n", result.out());
        assertEquals("", result.err());
        assertEquals(List.of(URI.create(LINK_VERIFICATION_URI)), cli.opened);
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2)), cli.sleeps);
        auth.server.verify(1, postRequestedFor(urlEqualTo("/v1/links/github"))
                .withHeader("Authorization", equalTo("Bearer " + CREDENTIAL)));
        auth.server.verify(3, getRequestedFor(urlEqualTo(SESSION_PATH))
                .withHeader("Authorization", equalTo("Bearer " + CREDENTIAL)));
        auth.server.verify(0, deleteRequestedFor(anyUrl()));
        assertTrue(cli.hooks.isEmpty(), "the Ctrl-C hook is removed once the session has ended");
    }

    @Test
    void noBrowserOnlyPrintsTheUrl() {
        auth.sessionAnswers("linked");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(0, result.exit(), result.all());
        assertEquals(PROMPT + FIRST_WAIT + "Linked github.\n", result.out());
        assertTrue(cli.opened.isEmpty());
    }

    @Test
    void aTerminalSeesOneCountdownLineRedrawnEverySecondAndClearedAtTheEnd() {
        cli.terminal = true;
        auth.sessionAnswers("pending", "linked");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(0, result.exit(), result.all());
        String redraw = "\r\033[KWaiting for approval at github… ";
        assertEquals(PROMPT + redraw + "15:00 left" + redraw + "14:59 left" + redraw + "14:58 left" + redraw
                + "14:57 left\r\033[KLinked github.\n", result.out());
        assertEquals(Collections.nCopies(4, Duration.ofSeconds(1)), cli.sleeps);
    }

    @Test
    void deniedLinkFailsWithOneLine() {
        auth.sessionAnswers("pending", "denied");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals(PROMPT + FIRST_WAIT, result.out());
        assertEquals("Linking github was denied at github.\n", result.err());
    }

    @Test
    void expiredLinkSaysToConnectAgain() {
        auth.sessionAnswers("expired");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("The code expired before it was approved. Run `infershield connect github` again.\n",
                result.err());
    }

    @Test
    void failedLinkNamesTheProvidersErrorCode() {
        auth.sessionAnswers("pending", "failed:device_flow_disabled");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Linking github failed: device_flow_disabled.\n", result.err());
    }

    @Test
    void sessionCancelledAtTheServerSaysWhy() {
        auth.sessionAnswers("cancelled");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Linking github was cancelled (another `infershield connect github` replaces a pending one).\n",
                result.err());
        auth.server.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    void ctrlCCancelsTheSessionAtTheServer() {
        auth.sessionAnswers("pending");
        cli.ctrlCAtSleep = 2;

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals(PROMPT + FIRST_WAIT, result.out());
        assertEquals("Cancelled; github is not linked.\n", result.err());
        auth.server.verify(1, deleteRequestedFor(urlEqualTo(SESSION_PATH))
                .withHeader("Authorization", equalTo("Bearer " + CREDENTIAL)));
        auth.server.verify(1, getRequestedFor(urlEqualTo(SESSION_PATH)));
        assertTrue(cli.hooks.isEmpty());
    }

    @Test
    void ctrlCWithTheServerGoneSaysTheCodeStaysUsable() {
        auth.sessionAnswers("pending");
        auth.server.stubFor(delete(SESSION_PATH).atPriority(1).willReturn(problem(503, "down", null)));
        cli.ctrlCAtSleep = 1;

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("Stopped, but the server could not be told; the code " + LINK_USER_CODE
                + " stays usable until it expires.\n", result.err());
        auth.server.verify(0, getRequestedFor(urlEqualTo(SESSION_PATH)));
    }

    @Test
    void aSessionStillPendingWellAfterItsExpiryIsGivenUpAndCancelled() {
        auth.sessionAnswers("pending");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser", "--poll-interval", "PT10S");

        assertEquals(1, result.exit());
        assertEquals("The code expired before it was approved. Run `infershield connect github` again.\n",
                result.err());
        // 15 minutes and 30 seconds of grace at 10 s: 93 polls, the last one at the grace's end
        auth.server.verify(93, getRequestedFor(urlEqualTo(SESSION_PATH)));
        assertEquals(93, cli.sleeps.size());
        auth.server.verify(1, deleteRequestedFor(urlEqualTo(SESSION_PATH)));
        // without a terminal, a line every 30 s rather than one per poll
        assertTrue(result.out().contains(FIRST_WAIT + "Waiting for approval at github… 14:30 left\n"), result.out());
        assertEquals(31, result.out().lines().filter(line -> line.startsWith("Waiting for approval")).count());
    }

    @Test
    void aServerHiccupWhilePollingIsRiddenOut() {
        auth.sessionAnswers("pending", "503", "linked");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().endsWith("Linked github.\n"), result.out());
    }

    @Test
    void aSessionThatDisappearsSaysToConnectAgain() {
        auth.sessionAnswers("pending", "404");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(1, result.exit());
        assertEquals("The link session is gone from " + auth.url() + ". Run `infershield connect github` again.\n",
                result.err());
    }

    @Test
    void providerThatRefusesToStartNamesItsErrorCodeAndOpensNothing() {
        auth.server.stubFor(post("/v1/links/github").atPriority(1).willReturn(problem(502,
                "The provider did not start the sign-in: device_flow_disabled.", "device_flow_disabled")));

        CliRunner.Result result = cli.run("connect", "github");

        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertEquals("github refused to start linking: device_flow_disabled.\n", result.err());
        assertTrue(cli.opened.isEmpty());
        assertTrue(cli.hooks.isEmpty());
    }

    @Test
    void providerRefusalWithoutACodeShowsTheServersWords() {
        auth.server.stubFor(post("/v1/links/github").atPriority(1).willReturn(problem(502,
                "The provider did not answer.", null)));

        CliRunner.Result result = cli.run("connect", "github");

        assertEquals(1, result.exit());
        assertEquals("github refused to start linking: The provider did not answer.\n", result.err());
    }

    @Test
    void unknownProviderIsNamed() {
        auth.server.stubFor(post("/v1/links/gitlab").willReturn(problem(404, "No provider gitlab.", null)));

        CliRunner.Result result = cli.run("connect", "gitlab");

        assertEquals(1, result.exit());
        assertEquals("No provider named gitlab is configured at " + auth.url() + ".\n", result.err());
    }

    @Test
    void providerNameThatIsNoPathSegmentIsAUsageErrorAndSendsNothing() {
        CliRunner.Result result = cli.run("connect", "../admin");

        assertEquals(2, result.exit());
        assertTrue(result.err().contains("'../admin' is not a provider name"), result.err());
        auth.server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aPollIntervalThatIsNotPositiveIsAUsageError() {
        CliRunner.Result result = cli.run("connect", "github", "--poll-interval", "PT0S");

        assertEquals(2, result.exit());
        assertTrue(result.err().startsWith("--poll-interval must be positive"), result.err());
        auth.server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRefusedCredentialSaysToLogIn() {
        auth.server.stubFor(post("/v1/links/github").atPriority(1).willReturn(problem(401, "The bearer token is not"
                + " valid.", null).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));

        CliRunner.Result result = cli.run("connect", "github");

        assertEquals(1, result.exit());
        assertEquals("The server no longer accepts your sign-in. Run `infershield login` again.\n", result.err());
    }

    @Test
    void signedOutConnectSaysToLogIn() throws Exception {
        cli.store.delete(auth.url());

        CliRunner.Result result = cli.run("connect", "github");

        assertEquals(1, result.exit());
        assertEquals("Not signed in. Run `infershield login` first.\n", result.err());
        auth.server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void anExpiredAccessCredentialIsRefreshedAndStoredBeforeTheLinkStarts() throws Exception {
        auth.refreshAnswers(true);
        auth.linkStarts(ROTATED_CREDENTIAL);
        auth.sessionAnswers("linked");
        cli.clock.advance(Duration.ofHours(2));

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(0, result.exit(), result.all());
        auth.server.verify(postRequestedFor(urlEqualTo("/oauth/token"))
                .withRequestBody(containing("grant_type=refresh_token"))
                .withRequestBody(containing("refresh_token=" + REFRESH_TOKEN)));
        auth.server.verify(1, postRequestedFor(urlEqualTo("/v1/links/github"))
                .withHeader("Authorization", equalTo("Bearer " + ROTATED_CREDENTIAL)));
        StoredLogin stored = cli.store.load().orElseThrow();
        assertEquals(ROTATED_CREDENTIAL, stored.credential());
        assertEquals(ROTATED_REFRESH_TOKEN, stored.refreshToken());
    }

    @Test
    void aCredentialThatExpiresWhileWaitingIsRefreshedForTheNextPoll() throws Exception {
        cli.store.save(cli.store.load().orElseThrow().withAccess(CREDENTIAL, CliRunner.START.plusSeconds(3),
                REFRESH_TOKEN));
        auth.refreshAnswers(true);
        auth.sessionAnswers("pending", "linked");

        CliRunner.Result result = cli.run("connect", "github", "--no-browser");

        assertEquals(0, result.exit(), result.all());
        auth.server.verify(1, getRequestedFor(urlEqualTo(SESSION_PATH))
                .withHeader("Authorization", equalTo("Bearer " + CREDENTIAL)));
        auth.server.verify(1, getRequestedFor(urlEqualTo(SESSION_PATH))
                .withHeader("Authorization", equalTo("Bearer " + ROTATED_CREDENTIAL)));
        assertEquals(ROTATED_CREDENTIAL, cli.store.load().orElseThrow().credential());
    }

    @Test
    void aRefusedRefreshSaysToLogInAgainAndStartsNothing() {
        auth.refreshAnswers(false);
        cli.clock.advance(Duration.ofHours(2));

        CliRunner.Result result = cli.run("connect", "github");

        assertEquals(1, result.exit());
        assertTrue(result.err().startsWith("Your sign-in could not be renewed (invalid_grant: "), result.err());
        assertTrue(result.err().endsWith(" Run `infershield login` again.\n"), result.err());
        auth.server.verify(0, postRequestedFor(urlEqualTo("/v1/links/github")));
    }

    static final String LINKS = """
            {"links":[
             {"provider":"github","state":"linked","scopes":["read:user"],"linkedAt":"2025-01-01T09:00:00Z",
              "expiresAt":null,"lastRefreshAt":null,"brokenReason":null},
             {"provider":"openai","state":"broken","scopes":["openid","offline_access"],
              "linkedAt":"2024-12-01T09:00:00Z","expiresAt":"2025-01-01T12:00:00Z","lastRefreshAt":null,
              "brokenReason":"refresh_failed"},
             {"provider":"corp-idp","state":"pending","scopes":null,"linkedAt":null,"expiresAt":"2025-01-01T10:15:00Z",
              "lastRefreshAt":null,"brokenReason":null,"sessionId":"3f6c1e2a-9b4d-4c1e-8f0a-2d5b7c9e1a34",
              "userCode":"WDJB-MJHT","verificationUri":"https://idp.example.test/device"}]}""";

    @Test
    void linksShowsATableAndHowToRepairABrokenLink() {
        auth.server.stubFor(get("/v1/links").withHeader("Authorization", equalTo("Bearer " + CREDENTIAL))
                .willReturn(okJson(LINKS)));

        CliRunner.Result result = cli.run("links");

        assertEquals(0, result.exit(), result.all());
        assertEquals("""
                PROVIDER  STATE    SCOPES                 EXPIRES
                github    linked   read:user              never (linked 2025-01-01T09:00:00Z)
                openai    broken   openid,offline_access  2025-01-01T12:00:00Z
                corp-idp  pending  -                      2025-01-01T10:15:00Z
                openai is broken: refresh_failed. Run `infershield connect openai` to link it again.
                """, result.out());
        assertEquals("", result.err());
    }

    @Test
    void linksJsonPrintsTheServersAnswer() {
        auth.server.stubFor(get("/v1/links").willReturn(okJson(LINKS)));

        CliRunner.Result result = cli.run("links", "--json");

        assertEquals(0, result.exit(), result.all());
        assertEquals(LINKS + "\n", result.out());
    }

    @Test
    void noLinksSaysHowToMakeOne() {
        auth.server.stubFor(get("/v1/links").willReturn(okJson("{\"links\":[]}")));

        CliRunner.Result result = cli.run("links");

        assertEquals(0, result.exit(), result.all());
        assertEquals("No linked accounts. Run `infershield connect github` to link one.\n", result.out());
    }

    @Test
    void linksWithARefusedCredentialSaysToLogIn() {
        auth.server.stubFor(get("/v1/links").willReturn(problem(401, "The bearer token is not valid.", null)));

        CliRunner.Result result = cli.run("links");

        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertEquals("The server no longer accepts your sign-in. Run `infershield login` again.\n", result.err());
    }

    @Test
    void disconnectRemovesTheLink() {
        auth.server.stubFor(delete("/v1/links/github").withHeader("Authorization", equalTo("Bearer " + CREDENTIAL))
                .willReturn(aResponse().withStatus(204)));

        CliRunner.Result result = cli.run("disconnect", "github");

        assertEquals(0, result.exit(), result.all());
        assertEquals("Disconnected github.\n", result.out());
        auth.server.verify(1, deleteRequestedFor(urlEqualTo("/v1/links/github")));
    }

    @Test
    void disconnectWithoutALinkSaysSo() {
        auth.server.stubFor(delete("/v1/links/openai").willReturn(problem(404, "No link.", null)));

        CliRunner.Result result = cli.run("disconnect", "openai");

        assertEquals(1, result.exit());
        assertEquals("", result.out());
        assertEquals("No openai link.\n", result.err());
    }

    @Test
    void disconnectWithoutAProviderIsAUsageError() {
        CliRunner.Result result = cli.run("disconnect");

        assertEquals(2, result.exit());
        assertFalse(result.err().isEmpty());
    }
}
