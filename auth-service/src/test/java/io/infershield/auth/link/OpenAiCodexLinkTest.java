package io.infershield.auth.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.support.LinkUpstreams;
import io.infershield.auth.support.LinkUpstreams.Upstreams;
import io.infershield.auth.support.TestClock;
import io.infershield.auth.support.TestDelayer;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.infershield.testkit.sim.OpenAiAuthSimulator;
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

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.infershield.auth.support.LinkCalls.awaitEnd;
import static io.infershield.auth.support.LinkCalls.awaitOpenWaits;
import static io.infershield.auth.support.LinkCalls.session;
import static io.infershield.auth.support.LinkCalls.start;
import static io.infershield.auth.support.LinkCalls.stores;
import static io.infershield.auth.support.LinkCalls.tokenServiceStoresLinks;
import static io.infershield.auth.support.LinkCalls.user;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linking an OpenAI account by Codex's sign-in, which is not plain RFC 8628, against the OpenAI simulator. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LinkUpstreams.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OpenAiCodexLinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER_CODE_PATH = "/api/accounts/deviceauth/usercode";
    private static final String POLL_PATH = "/api/accounts/deviceauth/token";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestDelayer delayer;

    @Inject
    TestClock clock;

    @InjectInfra
    Upstreams upstreams;

    @BeforeEach
    void tokenServiceTakesLinks() {
        tokenServiceStoresLinks(upstreams.wiremock());
    }

    @AfterEach
    void endOpenFlows() {
        delayer.abandonAll();
    }

    @Test
    void theApprovedCodeIsExchangedWithItsPkceVerifierAndStored() throws Throwable {
        String user = user("codex");
        String credential = issueCredential(deviceFlow, user);
        OpenAiAuthSimulator openai = upstreams.openai();
        int userCodeCalls = openai.received(USER_CODE_PATH).size();
        int polls = openai.received(POLL_PATH).size();
        int exchanges = openai.received("/oauth/token").size();
        Instant startedAt = clock.instant();

        Response started = start(credential, "openai");
        started.then().statusCode(201)
                .body("state", equalTo("pending"))
                .body("userCode", matchesPattern("[A-Z0-9]{4}-[A-Z0-9]{4}"))
                .body("verificationUri", equalTo(openai.verificationUrl()))
                .body("verificationUriComplete", nullValue())
                // the provider sends it as the string "5"
                .body("interval", equalTo(5));
        // the provider states no lifetime: the gateway gives up after 15 minutes
        assertEquals(startedAt.plus(Duration.ofMinutes(15)).getEpochSecond(),
                Instant.parse(started.path("expiresAt")).getEpochSecond());
        SimRequest userCodeCall = openai.received(USER_CODE_PATH).get(userCodeCalls);
        assertEquals(JSON.readTree("{\"client_id\":\"" + OpenAiAuthSimulator.CODEX_CLIENT_ID + "\"}"),
                JSON.readTree(userCodeCall.body()));

        // 403 while the user has not approved: keep polling
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitOpenWaits(delayer, 1);
        assertEquals(List.of(5L), delayer.openWaitSeconds());
        openai.approve(started.path("userCode"), "dev@example.com");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());

        awaitEnd(credential, started.path("id")).then().body("state", equalTo("linked")).body("error", nullValue());
        JsonNode poll = JSON.readTree(openai.received(POLL_PATH).get(polls).body());
        assertEquals(started.path("userCode").toString(), poll.path("user_code").asText());
        assertTrue(poll.path("device_auth_id").asText().startsWith("deviceauth_"));
        String exchange = openai.received("/oauth/token").get(exchanges).body();
        assertTrue(exchange.startsWith("grant_type=authorization_code&code="), exchange);
        assertTrue(exchange.contains("&redirect_uri=" + java.net.URLEncoder.encode(openai.redirectUri(),
                java.nio.charset.StandardCharsets.UTF_8) + "&client_id=" + OpenAiAuthSimulator.CODEX_CLIENT_ID
                + "&code_verifier="), exchange);

        JsonNode stored = JSON.readTree(stores(upstreams.wiremock(), user, "openai").get(0).getBodyAsString());
        // the simulator only issues the token when the verifier hashes to its challenge (RFC 7636 S256)
        assertEquals("dev@example.com", openai.emailOfAccessToken(stored.path("accessToken").asText()));
        assertTrue(stored.path("refreshToken").asText().startsWith("rt_"));
        assertEquals(OpenAiAuthSimulator.ACCESS_TOKEN_TTL, stored.path("expiresIn").asInt());
        assertEquals("[\"email\",\"offline_access\",\"openid\",\"profile\"]", stored.path("scopes").toString());
        assertEquals("Bearer", stored.path("tokenType").asText());
    }

    @Test
    void notFoundWhilePendingKeepsPolling() throws Throwable {
        String credential = issueCredential(deviceFlow, user("codex-404"));
        OpenAiAuthSimulator openai = upstreams.openai();

        Response started = start(credential, "openai");
        openai.failNext(1, 404, null);
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitOpenWaits(delayer, 1);
        assertEquals(List.of(5L), delayer.openWaitSeconds());
        session(credential, started.path("id")).then().body("state", equalTo("pending"));

        openai.approve(started.path("userCode"), "four-oh-four@example.com");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitEnd(credential, started.path("id")).then().body("state", equalTo("linked"));
    }

    @Test
    void deniedAtOpenAiEndsTheSessionDenied() throws Throwable {
        String credential = issueCredential(deviceFlow, user("codex-deny"));

        Response started = start(credential, "openai");
        upstreams.openai().deny(started.path("userCode"));
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());

        awaitEnd(credential, started.path("id")).then().body("state", equalTo("denied")).body("error", nullValue());
    }

    @Test
    void theGatewayGivesUpAfterFifteenMinutes() throws Throwable {
        String credential = issueCredential(deviceFlow, user("codex-slowpoke"));

        Response started = start(credential, "openai");
        delayer.advance(Duration.ofMinutes(14), upstreams.clock());
        awaitOpenWaits(delayer, 1);
        session(credential, started.path("id")).then().body("state", equalTo("pending"));

        // the provider has forgotten the request by now and answers 404 forever: only the gateway's deadline ends it
        delayer.advance(Duration.ofMinutes(1), upstreams.clock());
        awaitEnd(credential, started.path("id")).then().body("state", equalTo("expired")).body("error", nullValue());
    }
}
