package io.infershield.auth.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.support.LinkUpstreams;
import io.infershield.auth.support.LinkUpstreams.Upstreams;
import io.infershield.auth.support.TestClock;
import io.infershield.auth.support.TestDelayer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.GitHubSimulator;
import io.infershield.testkit.sim.SimRequest;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.infershield.auth.support.LinkCalls.awaitEnd;
import static io.infershield.auth.support.LinkCalls.awaitOpenWaits;
import static io.infershield.auth.support.LinkCalls.start;
import static io.infershield.auth.support.LinkCalls.stores;
import static io.infershield.auth.support.LinkCalls.tokenServiceStoresLinks;
import static io.infershield.auth.support.LinkCalls.user;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linking a GitHub account against the GitHub simulator, quirks included (checklist B7), on a fake timeline. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LinkUpstreams.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GitHubLinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLL_PATH = "/login/oauth/access_token";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestDelayer delayer;

    @Inject
    TestClock clock;

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    PostgresResource.Database db;

    @BeforeEach
    void tokenServiceTakesLinks() {
        tokenServiceStoresLinks(upstreams.wiremock());
    }

    @AfterEach
    void endOpenFlows() {
        delayer.abandonAll();
    }

    @Test
    void approvedGitHubFlowStoresTheTokenAtTokenServiceWithABearerToken() throws Throwable {
        String user = user("octo");
        String credential = issueCredential(deviceFlow, user);
        GitHubSimulator github = upstreams.github();
        int deviceCodeRequests = github.received("/login/device/code").size();
        Instant startedAt = clock.instant();

        Response started = start(credential, "github");
        started.then().statusCode(201)
                .header("Cache-Control", "no-store")
                .body("provider", equalTo("github"))
                .body("state", equalTo("pending"))
                // checklist B7: GitHub's user codes may hold digits
                .body("userCode", matchesPattern("[A-Z0-9]{4}-[A-Z0-9]{4}"))
                .body("verificationUri", equalTo(github.baseUrl() + "/login/device"))
                .body("verificationUriComplete", nullValue())
                .body("interval", equalTo(5));
        String id = started.path("id");
        assertTrue(started.header("Location").endsWith("/v1/links/sessions/" + id));
        assertEquals(startedAt.plusSeconds(GitHubSimulator.EXPIRES_IN).getEpochSecond(),
                Instant.parse(started.path("expiresAt")).getEpochSecond());

        List<SimRequest> deviceCalls = github.received("/login/device/code");
        SimRequest deviceCall = deviceCalls.get(deviceCodeRequests);
        assertEquals("client_id=" + GitHubSimulator.COPILOT_CLIENT_ID + "&scope=read%3Auser", deviceCall.body());
        assertEquals("application/json", deviceCall.header("Accept"));

        github.approve(started.path("userCode"), "octocat");
        int polls = github.received(POLL_PATH).size();
        // checklist B2: nothing is polled before one interval has passed
        delayer.advance(Duration.ofSeconds(4), upstreams.clock());
        assertEquals(polls, github.received(POLL_PATH).size());
        delayer.advance(Duration.ofSeconds(1), upstreams.clock());

        awaitEnd(credential, id).then().statusCode(200)
                .body("state", equalTo("linked"))
                .body("error", nullValue());
        SimRequest poll = github.received(POLL_PATH).get(polls);
        assertTrue(poll.body().contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"), poll.body());
        assertEquals("application/json", poll.header("Accept"));

        List<LoggedRequest> stored = stores(upstreams.wiremock(), user, "github");
        assertEquals(1, stored.size());
        JsonNode body = JSON.readTree(stored.get(0).getBodyAsString());
        String token = body.path("accessToken").asText();
        assertEquals("octocat", github.loginOf(token));
        assertEquals(JSON.readTree("{\"accessToken\":\"" + token + "\",\"refreshToken\":null,\"expiresIn\":null,"
                + "\"scopes\":[\"read:user\"],\"tokenType\":\"bearer\"}"), body);
        // the Keycloak client-credentials token of the OIDC client, as token-service requires
        assertTrue(stored.get(0).getHeader("Authorization").matches("Bearer [\\w-]+\\.[\\w-]+\\.[\\w-]+"),
                stored.get(0).getHeader("Authorization"));
        assertNull(storedCiphertext(id), "the device code is erased once the session ends");
    }

    @Test
    void formEncodedAnswersAreReadLikeJson() throws Throwable {
        String user = user("form");
        String credential = issueCredential(deviceFlow, user);
        GitHubSimulator github = upstreams.github();
        int polls = github.received(POLL_PATH).size();

        Response started = start(credential, "github-form");
        started.then().statusCode(201).body("interval", equalTo(5));
        github.approve(started.path("userCode"), "formcat");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());

        awaitEnd(credential, started.path("id")).then().body("state", equalTo("linked"));
        assertEquals("*/*", github.received(POLL_PATH).get(polls).header("Accept"));
        JsonNode body = JSON.readTree(stores(upstreams.wiremock(), user, "github-form").get(0).getBodyAsString());
        assertEquals("formcat", github.loginOf(body.path("accessToken").asText()));
        assertEquals("[\"read:user\"]", body.path("scopes").toString());
    }

    @Test
    void slowDownAddsFiveSecondsAndTheFlowRecovers() throws Throwable {
        String credential = issueCredential(deviceFlow, user("slow"));
        GitHubSimulator github = upstreams.github();

        Response started = start(credential, "github");
        // only the gateway's clock moves: GitHub sees the first poll come at once, and answers slow_down (HTTP 200)
        delayer.advanceApplicationOnly(Duration.ofSeconds(5));
        awaitOpenWaits(delayer, 1);
        // RFC 8628 §3.5: the interval grows by 5 s for good
        assertEquals(List.of(10L), delayer.openWaitSeconds());

        github.approve(started.path("userCode"), "slowcat");
        delayer.advance(Duration.ofSeconds(10), upstreams.clock());

        awaitEnd(credential, started.path("id")).then().body("state", equalTo("linked"));
    }

    @Test
    void deniedAtGitHubEndsTheSessionDenied() throws Throwable {
        String credential = issueCredential(deviceFlow, user("deny"));

        Response started = start(credential, "github");
        upstreams.github().deny(started.path("userCode"));
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());

        awaitEnd(credential, started.path("id")).then()
                .body("state", equalTo("denied"))
                .body("error", nullValue());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExpiredCodeEndsTheSessionExpiredInEitherSpelling(boolean tokenExpiredSpelling) throws Throwable {
        String credential = issueCredential(deviceFlow, user("late"));
        upstreams.github().useTokenExpiredSpelling(tokenExpiredSpelling);
        try {
            Response started = start(credential, "github");
            // the first poll comes only after the code's 900 s: GitHub answers expired_token or token_expired
            delayer.advance(Duration.ofSeconds(GitHubSimulator.EXPIRES_IN), upstreams.clock());

            awaitEnd(credential, started.path("id")).then()
                    .body("state", equalTo("expired"))
                    .body("error", nullValue());
        } finally {
            upstreams.github().useTokenExpiredSpelling(false);
        }
    }

    @Test
    void aDisabledDeviceFlowIsABadGatewayCarryingGitHubsCode() throws Throwable {
        String credential = issueCredential(deviceFlow, user("disabled"));

        start(credential, "github-disabled").then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Gateway"))
                .body("status", equalTo(502))
                .body("detail", equalTo("The provider did not start the sign-in: device_flow_disabled."))
                .body("error", equalTo("device_flow_disabled"));
    }

    @Test
    void anUnknownClientIsABadGatewayCarryingGitHubsCode() throws Throwable {
        String credential = issueCredential(deviceFlow, user("unknown-client"));

        start(credential, "github-unknown").then().statusCode(502)
                .contentType("application/problem+json")
                .body("error", equalTo("incorrect_client_credentials"));
    }

    @Test
    void aFailingGitHubIsRetriedWithoutEndingTheFlow() throws Throwable {
        String credential = issueCredential(deviceFlow, user("unicorn"));
        GitHubSimulator github = upstreams.github();

        Response started = start(credential, "github");
        github.approve(started.path("userCode"), "unicorncat");
        github.failNext(1, 503);
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitOpenWaits(delayer, 1);
        // checklist B5: a 5xx backs off (doubling) and keeps the flow
        assertEquals(List.of(10L), delayer.openWaitSeconds());
        delayer.advance(Duration.ofSeconds(10), upstreams.clock());

        awaitEnd(credential, started.path("id")).then().body("state", equalTo("linked"));
    }

    private byte[] storedCiphertext(String id) throws Exception {
        try (Connection connection = db.connect();
             PreparedStatement query = connection.prepareStatement(
                     "select device_code_ciphertext from link_session where id = ?::uuid")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next());
                return row.getBytes(1);
            }
        }
    }
}
