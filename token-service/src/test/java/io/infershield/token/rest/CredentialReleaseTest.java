package io.infershield.token.rest;

import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.token.messaging.OutboxRelay;
import io.infershield.token.support.ProviderLogins;
import io.infershield.token.support.TestClock;
import io.infershield.token.support.TokenEventLog;
import io.infershield.token.support.Tokens;
import io.infershield.token.support.UpstreamResource;
import io.infershield.token.support.Upstreams;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.infershield.token.support.Calls.credential;
import static io.infershield.token.support.Calls.link;
import static io.infershield.token.support.Calls.rejected;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** proxy-service reads credentials: the user's link first, then the org key; refreshed before they expire. */
@QuarkusTest
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = UpstreamResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class CredentialReleaseTest {

    private static final String COPILOT = "/copilot_internal/v2/token";
    private static final String OAUTH = "/oauth/token";

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    Kafka kafka;

    @Inject
    OutboxRelay relay;

    @Inject
    TestClock clock;

    private final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    private final String user = "dev-" + UUID.randomUUID().toString().substring(0, 8);

    /** Moves the application's clock and the simulators' together. */
    private void advance(Duration duration) {
        clock.advance(duration);
        upstreams.clock().advance(duration);
    }

    private String linkGithub() {
        String github = ProviderLogins.githubToken(upstreams.github(), upstreams.clock(), user);
        link(tenant, user, "github", "{\"accessToken\":\"" + github + "\",\"scopes\":[\"read:user\"]}");
        return github;
    }

    private ProviderLogins.OpenAiTokens linkOpenAi() {
        var tokens = ProviderLogins.openAiTokens(upstreams.openai(), user + "@example.com");
        link(tenant, user, "openai", "{\"accessToken\":\"" + tokens.accessToken() + "\",\"refreshToken\":\""
                + tokens.refreshToken() + "\",\"expiresIn\":" + tokens.expiresIn() + "}");
        return tokens;
    }

    private void orgKey(String provider, String apiKey) {
        given().auth().oauth2(Tokens.withRealmRoles("ada", "admin")).contentType(ContentType.JSON)
                .body("{\"apiKey\":\"" + apiKey + "\"}")
                .when().put("/admin/v1/tenants/" + tenant + "/org-keys/" + provider).then().statusCode(204);
    }

    private long refreshGrants(String refreshToken) {
        return upstreams.openai().received(OAUTH).stream()
                .filter(r -> r.body().contains("grant_type=refresh_token"))
                .filter(r -> refreshToken == null || r.body().contains(refreshToken))
                .count();
    }

    @Test
    void githubCredentialIsTheCopilotTokenWithItsApiBase() {
        linkGithub();

        credential(tenant, user, "github")
                .then().statusCode(200).contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("provider", is("github"))
                .body("source", is("user"))
                .body("token", startsWith("tid="))
                .body("version", is(1))
                .body("expiresAt", notNullValue())
                .body("apiBase", is(upstreams.github().copilotApiUrl()))
                .body("keySet()", is(Set.of("provider", "source", "token", "version", "expiresAt", "apiBase")));

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.read success " + Tokens.PROXY_SERVICE + " " + user + " github user-token proxy-request -",
                events.get(events.size() - 1));
    }

    @Test
    void copilotTokenIsRefreshedOnceItsRefreshInHasPassed() {
        linkGithub();
        String first = credential(tenant, user, "github").then().statusCode(200).extract().path("token");
        int exchanges = upstreams.github().received(COPILOT).size();

        advance(Duration.ofSeconds(GitHubSimulator.COPILOT_REFRESH_IN - 60));
        credential(tenant, user, "github").then().statusCode(200).body("token", is(first)).body("version", is(1));
        assertEquals(exchanges, upstreams.github().received(COPILOT).size(), "not due yet: no exchange");

        advance(Duration.ofSeconds(60));
        String second = credential(tenant, user, "github").then().statusCode(200).body("version", is(2))
                .extract().path("token");
        assertNotEquals(first, second);
        assertEquals(exchanges + 1, upstreams.github().received(COPILOT).size());
    }

    @Test
    void rejectedVersionIsRefreshedOnceAndAStaleRejectionGetsTheCurrentToken() {
        linkGithub();
        String first = credential(tenant, user, "github").then().extract().path("token");
        int exchanges = upstreams.github().received(COPILOT).size();

        String second = rejected(tenant, user, "github", 1)
                .then().statusCode(200).header("Cache-Control", "no-store")
                .body("version", is(2)).body("token", not(is(first))).extract().path("token");
        // a second proxy replica that saw the same 401 on version 1 gets version 2 without another exchange
        rejected(tenant, user, "github", 1).then().statusCode(200).body("version", is(2)).body("token", is(second));
        assertEquals(exchanges + 1, upstreams.github().received(COPILOT).size());

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals(List.of("token.refreshed success " + Tokens.PROXY_SERVICE + " " + user
                        + " github user-token proxy-request -",
                "token.read success " + Tokens.PROXY_SERVICE + " " + user + " github user-token proxy-request -",
                "token.read success " + Tokens.PROXY_SERVICE + " " + user + " github user-token proxy-request -"),
                events.subList(events.size() - 3, events.size()));
    }

    @Test
    void expiringOpenAiTokenIsRefreshedAndTheRotatedRefreshTokenIsUsedNext() {
        var tokens = linkOpenAi();
        credential(tenant, user, "openai").then().statusCode(200)
                .body("token", is(tokens.accessToken())).body("version", is(1)).body("apiBase", nullValue());

        advance(Duration.ofSeconds(tokens.expiresIn() - 299)); // inside the 5-minute skew
        String second = credential(tenant, user, "openai").then().statusCode(200).body("version", is(2))
                .extract().path("token");
        assertNotEquals(tokens.accessToken(), second);
        assertEquals(upstreams.openai().emailOfAccessToken(second), user + "@example.com");
        assertEquals(1, refreshGrants(tokens.refreshToken()));

        // the simulator revokes the family if a spent refresh token came back: a third token proves the rotated one was saved
        advance(Duration.ofSeconds(tokens.expiresIn()));
        String third = credential(tenant, user, "openai").then().statusCode(200).body("version", is(3))
                .extract().path("token");
        assertEquals(upstreams.openai().emailOfAccessToken(third), user + "@example.com");
        assertEquals(1, refreshGrants(tokens.refreshToken()), "the original refresh token was used exactly once");
    }

    @Test
    void invalidGrantBreaksTheLinkAndIsNotRetried() {
        var tokens = ProviderLogins.openAiTokens(upstreams.openai(), user + "@example.com");
        ProviderLogins.refreshDirectly(upstreams.openai(), tokens.refreshToken()); // spent elsewhere
        link(tenant, user, "openai", "{\"accessToken\":\"" + tokens.accessToken() + "\",\"refreshToken\":\""
                + tokens.refreshToken() + "\",\"expiresIn\":60}");
        long before = refreshGrants(tokens.refreshToken());

        credential(tenant, user, "openai")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:link-broken"))
                .body("title", is("Conflict"))
                .body("status", is(409))
                .body("detail", is("The link to openai is broken (invalid_grant); the user must link again"));
        assertEquals(before + 1, refreshGrants(tokens.refreshToken()), "a permanent error is not retried");
        credential(tenant, user, "openai").then().statusCode(409);
        assertEquals(before + 1, refreshGrants(tokens.refreshToken()), "a broken link is not refreshed again");

        given().auth().oauth2(Tokens.custodian()).when().get("/internal/v1/tenants/" + tenant + "/users/" + user + "/links")
                .then().statusCode(200).body("links[0].state", is("broken"))
                .body("links[0].brokenReason", is("invalid_grant"));
        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        String who = Tokens.PROXY_SERVICE + " " + user + " openai user-token proxy-request";
        assertEquals(List.of("token.refreshed failed " + who + " invalid_grant",
                        "token.link_broken failed " + who + " invalid_grant",
                        "token.read failed " + who + " link_broken",
                        "token.read failed " + who + " link_broken"),
                events.subList(events.size() - 4, events.size()));
    }

    @Test
    void transientProviderErrorsAreRetriedWithBackOff() {
        var tokens = linkOpenAi();
        advance(Duration.ofSeconds(tokens.expiresIn()));
        upstreams.openai().failNext(2, 503, null);

        String fresh = credential(tenant, user, "openai").then().statusCode(200).body("version", is(2))
                .extract().path("token");
        assertEquals(upstreams.openai().emailOfAccessToken(fresh), user + "@example.com");
    }

    @Test
    void providerDownWithTheTokenExpiredIs503AndTheLinkStaysLinked() {
        var tokens = linkOpenAi();
        advance(Duration.ofSeconds(tokens.expiresIn()));
        upstreams.openai().failNext(3, 502, null);

        credential(tenant, user, "openai")
                .then().statusCode(503).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:provider-unavailable"))
                .body("detail", is("The provider openai could not refresh the token (token_endpoint_502); try again later"));
        credential(tenant, user, "openai").then().statusCode(200).body("version", is(2));
    }

    @Test
    void providerDownBeforeExpiryHandsOutTheStillValidToken() {
        var tokens = linkOpenAi();
        advance(Duration.ofSeconds(tokens.expiresIn() - 120)); // due (skew 5 min) but valid 2 more minutes
        upstreams.openai().failNext(3, 500, null);

        credential(tenant, user, "openai").then().statusCode(200)
                .body("token", is(tokens.accessToken())).body("version", is(1));
    }

    @Test
    void userLinkComesBeforeTheOrgKeyWhichServesUsersWithout() {
        orgKey("openai", "sk-org-" + UUID.randomUUID());
        var tokens = linkOpenAi();

        credential(tenant, user, "openai").then().statusCode(200)
                .body("source", is("user")).body("token", is(tokens.accessToken()));
        credential(tenant, "someone-else", "openai").then().statusCode(200)
                .body("source", is("org")).body("token", startsWith("sk-org-")).body("version", is(1))
                .body("expiresAt", nullValue());

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.read success " + Tokens.PROXY_SERVICE + " someone-else openai org-key proxy-request -",
                events.get(events.size() - 1));
    }

    @Test
    void purposeHeaderIsRecordedAndValidated() {
        orgKey("anthropic", "sk-ant-" + UUID.randomUUID());
        given().auth().oauth2(Tokens.consumer()).header("X-InferShield-Purpose", "model-list")
                .when().get("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/anthropic")
                .then().statusCode(200);
        given().auth().oauth2(Tokens.consumer()).header("X-InferShield-Purpose", "Not A Purpose")
                .when().get("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/anthropic")
                .then().statusCode(400).body("detail", is("purpose: must match \"[a-z0-9-]{1,32}\""));

        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals("token.read success " + Tokens.PROXY_SERVICE + " " + user + " anthropic org-key model-list -",
                events.get(events.size() - 1));
    }

    @Test
    void neitherLinkNorOrgKeyIs404NoCredential() {
        credential(tenant, user, "anthropic")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", is("urn:infershield:problem:no-credential"))
                .body("title", is("Not Found"))
                .body("detail", is("Neither the user nor the tenant holds a credential for anthropic"));
        List<String> events = TokenEventLog.about(relay, kafka, tenant).stream().map(TokenEventLog::summary).toList();
        assertEquals(List.of("token.read not_found " + Tokens.PROXY_SERVICE + " " + user
                + " anthropic user-token proxy-request -"), events);
    }

    @Test
    void refreshBodyIsValidated() {
        given().auth().oauth2(Tokens.consumer()).contentType(ContentType.JSON).body("{\"rejectedVersion\":0}")
                .when().post("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/github/refresh")
                .then().statusCode(400).body("detail", is("rejectedVersion: must be greater than or equal to 1"));
        given().auth().oauth2(Tokens.consumer()).contentType(ContentType.JSON).body("{\"rejectedVersion\":\"x\"}")
                .when().post("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/github/refresh")
                .then().statusCode(400).body("detail", is("The request body is not the JSON this endpoint takes"));
        given().auth().oauth2(Tokens.consumer()).contentType(ContentType.TEXT).body("7")
                .when().post("/internal/v1/tenants/" + tenant + "/users/" + user + "/credentials/github/refresh")
                .then().statusCode(415);
    }

    @Test
    void proxyReportedRejectionOfAnOrgKeyReturnsItUnchanged() {
        orgKey("anthropic", "sk-ant-" + UUID.randomUUID());
        String key = credential(tenant, user, "anthropic").then().extract().path("token");
        rejected(tenant, user, "anthropic", 1).then().statusCode(200).body("source", is("org")).body("token", is(key));
    }
}
