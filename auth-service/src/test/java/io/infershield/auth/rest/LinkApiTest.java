package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.auth.support.LinkUpstreams;
import io.infershield.auth.support.LinkUpstreams.Upstreams;
import io.infershield.auth.support.TestDelayer;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
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
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.infershield.auth.support.LinkCalls.awaitEnd;
import static io.infershield.auth.support.LinkCalls.cancel;
import static io.infershield.auth.support.LinkCalls.linkEvents;
import static io.infershield.auth.support.LinkCalls.linkPath;
import static io.infershield.auth.support.LinkCalls.list;
import static io.infershield.auth.support.LinkCalls.remove;
import static io.infershield.auth.support.LinkCalls.session;
import static io.infershield.auth.support.LinkCalls.start;
import static io.infershield.auth.support.LinkCalls.tokenServiceStoresLinks;
import static io.infershield.auth.support.LinkCalls.user;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static io.infershield.auth.support.OAuthCalls.issueTokens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The link API as the CLI sees it: statuses, problem bodies, isolation between users, token-service, events. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LinkUpstreams.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LinkApiTest {

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestDelayer delayer;

    @Inject
    OutboxRelay relay;

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    Kafka kafka;

    @BeforeEach
    void tokenServiceTakesLinks() {
        tokenServiceStoresLinks(upstreams.wiremock());
    }

    @AfterEach
    void endOpenFlows() {
        delayer.abandonAll();
    }

    @Test
    void withoutACredentialEveryLinkCallIsAnUnauthorizedProblem() {
        for (Response response : List.of(given().when().post("/v1/links/github"), given().when().get("/v1/links"),
                given().when().get("/v1/links/sessions/5b0b3a52-4cc8-4fb4-9d25-0a4b0f1ce0a1"),
                given().when().delete("/v1/links/sessions/5b0b3a52-4cc8-4fb4-9d25-0a4b0f1ce0a1"),
                given().when().delete("/v1/links/github"))) {
            response.then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"infershield\"")
                    .body("type", equalTo("about:blank"))
                    .body("title", equalTo("Unauthorized"))
                    .body("status", equalTo(401))
                    .body("detail", equalTo("A live access credential from `infershield login` is required."));
        }
    }

    @Test
    void anUnknownRevokedOrRefreshCredentialIsAnInvalidTokenProblem() throws Throwable {
        Response tokens = issueTokens(deviceFlow, user("refresher"));
        for (String credential : List.of("isk_not-a-credential", tokens.path("refresh_token"))) {
            start(credential, "github").then().statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"infershield\", error=\"invalid_token\"")
                    .body("status", equalTo(401));
        }
    }

    @Test
    void anUnknownProviderIsANotFoundProblem() throws Throwable {
        String credential = issueCredential(deviceFlow, user("curious"));

        start(credential, "gitlab").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("No provider of that name is configured."));
        session(credential, "not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void bobCanNeitherSeeNorCancelNorDeleteAlicesLink() throws Throwable {
        String alice = user("alice");
        String bob = user("bob");
        String aliceCredential = issueCredential(deviceFlow, alice);
        String bobCredential = issueCredential(deviceFlow, bob);
        WireMockServer tokenService = upstreams.wiremock();
        tokenService.stubFor(get(urlEqualTo("/internal/v1/tenants/default/users/" + bob + "/links"))
                .willReturn(json(200, "{\"links\":[]}")));
        tokenService.stubFor(delete(urlEqualTo(linkPath(bob, "github")))
                .willReturn(json(404, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}")));

        String id = start(aliceCredential, "github").then().statusCode(201).extract().path("id");

        session(bobCredential, id).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("No link session with this id."));
        cancel(bobCredential, id).then().statusCode(404).contentType("application/problem+json");
        list(bobCredential).then().statusCode(200).body("links.size()", equalTo(0));
        remove(bobCredential, "github").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("No link or pending session for this provider."));

        session(aliceCredential, id).then().statusCode(200).body("state", equalTo("pending"));
        assertTrue(tokenService.findAll(anyRequestedFor(urlPathMatching(".*/users/" + alice + "/.*"))).isEmpty(),
                "nothing was asked of token-service on alice's behalf");
        cancel(aliceCredential, id).then().statusCode(204);
        session(aliceCredential, id).then().statusCode(200).body("state", equalTo("cancelled"));
    }

    @Test
    void aSessionAnswersItsStateAndCancellingStopsThePolling() throws Throwable {
        String credential = issueCredential(deviceFlow, user("quitter"));
        Response started = start(credential, "github");
        String id = started.path("id");

        session(credential, id).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("id", equalTo(id))
                .body("provider", equalTo("github"))
                .body("state", equalTo("pending"))
                .body("error", nullValue())
                .body("userCode", equalTo(started.path("userCode")))
                .body("verificationUri", equalTo(started.path("verificationUri")))
                .body("expiresAt", equalTo(started.path("expiresAt")));

        cancel(credential, id).then().statusCode(204);
        assertTrue(delayer.openWaitSeconds().isEmpty(), "the wait before the next poll is cancelled with the session");
        cancel(credential, id).then().statusCode(204);
        session(credential, id).then().body("state", equalTo("cancelled")).body("error", nullValue());
    }

    @Test
    void startingAgainCancelsThePendingSessionOfTheSameProvider() throws Throwable {
        String credential = issueCredential(deviceFlow, user("restarter"));

        String first = start(credential, "github").then().statusCode(201).extract().path("id");
        String second = start(credential, "github").then().statusCode(201).extract().path("id");

        session(credential, first).then().body("state", equalTo("cancelled"));
        session(credential, second).then().body("state", equalTo("pending"));
        assertEquals(1, delayer.openWaitSeconds().size(), "only the new session polls");
    }

    @Test
    void theListHoldsTokenServicesLinksAndThePendingSessions() throws Throwable {
        String user = user("lister");
        String credential = issueCredential(deviceFlow, user);
        upstreams.wiremock().stubFor(get(urlEqualTo("/internal/v1/tenants/default/users/" + user + "/links"))
                .willReturn(json(200, "{\"links\":[{\"provider\":\"openai\",\"state\":\"broken\",\"scopes\":[\"openid\"],"
                        + "\"linkedAt\":\"2025-06-01T10:00:00Z\",\"expiresAt\":\"2025-06-01T11:00:00Z\","
                        + "\"lastRefreshAt\":null,\"brokenReason\":\"invalid_grant\"}]}")));
        Response started = start(credential, "github");

        list(credential).then().statusCode(200)
                .body("links.size()", equalTo(2))
                .body("links[0].provider", equalTo("openai"))
                .body("links[0].state", equalTo("broken"))
                .body("links[0].scopes", equalTo(List.of("openid")))
                .body("links[0].linkedAt", equalTo("2025-06-01T10:00:00Z"))
                .body("links[0].expiresAt", equalTo("2025-06-01T11:00:00Z"))
                .body("links[0].lastRefreshAt", nullValue())
                .body("links[0].brokenReason", equalTo("invalid_grant"))
                .body("links[0].sessionId", nullValue())
                .body("links[1].provider", equalTo("github"))
                .body("links[1].state", equalTo("pending"))
                .body("links[1].sessionId", equalTo(started.path("id")))
                .body("links[1].userCode", equalTo(started.path("userCode")))
                .body("links[1].verificationUri", equalTo(started.path("verificationUri")))
                .body("links[1].expiresAt", equalTo(started.path("expiresAt")));
    }

    @Test
    void anUnreachableTokenServiceIsAServiceUnavailableProblem() throws Throwable {
        String user = user("offline");
        String credential = issueCredential(deviceFlow, user);
        WireMockServer tokenService = upstreams.wiremock();
        tokenService.stubFor(get(urlEqualTo("/internal/v1/tenants/default/users/" + user + "/links"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        tokenService.stubFor(delete(urlEqualTo(linkPath(user, "github")))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        for (Response response : List.of(list(credential), remove(credential, "github"))) {
            response.then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("about:blank"))
                    .body("title", equalTo("Service Unavailable"))
                    .body("status", equalTo(503))
                    .body("detail", equalTo("The link store cannot be reached; try again shortly."));
        }
    }

    @Test
    void aLinkIsReportedStartedLinkedAndDeletedWithoutCodesOrTokens() throws Throwable {
        String user = user("eventful");
        String credential = issueCredential(deviceFlow, user);
        WireMockServer tokenService = upstreams.wiremock();
        tokenService.stubFor(delete(urlEqualTo(linkPath(user, "github"))).willReturn(aResponse().withStatus(204)));
        Response started = start(credential, "github");
        String id = started.path("id");
        upstreams.github().approve(started.path("userCode"), "eventcat");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        awaitEnd(credential, id).then().body("state", equalTo("linked"));

        remove(credential, "github").then().statusCode(204);

        assertEquals(1, tokenService.findAll(deleteRequestedFor(urlEqualTo(linkPath(user, "github")))).size());
        AuthEventLog.relay(relay);
        List<JsonNode> events = linkEvents(kafka, id);
        assertEquals(List.of("auth.link.started", "auth.link.linked", "auth.link.deleted"),
                events.stream().map(event -> event.path("type").asText()).toList());
        String token = AuthEventLog.parse(tokenService.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .putRequestedFor(urlEqualTo(linkPath(user, "github")))).get(0).getBodyAsString())
                .path("accessToken").asText();
        for (JsonNode event : events) {
            assertEquals(user, event.path("subject").asText());
            assertEquals("default", event.path("tenant").asText());
            assertEquals("{\"linkId\":\"" + id + "\",\"provider\":\"github\",\"error\":null}",
                    event.path("body").toString());
            assertFalse(event.toString().contains(token));
            assertFalse(event.toString().contains((String) started.path("userCode")));
        }
    }

    @Test
    void aStoreThatTokenServiceRefusesEndsTheSessionFailed() throws Throwable {
        String user = user("unlucky");
        String credential = issueCredential(deviceFlow, user);
        upstreams.wiremock().stubFor(put(urlEqualTo(linkPath(user, "github"))).atPriority(1)
                .willReturn(json(500, "{\"status\":500}")));
        Response started = start(credential, "github");
        String id = started.path("id");
        upstreams.github().approve(started.path("userCode"), "unluckycat");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());

        awaitEnd(credential, id).then()
                .body("state", equalTo("failed"))
                .body("error", equalTo("token_store_failed"));
        AuthEventLog.relay(relay);
        List<JsonNode> events = linkEvents(kafka, id);
        assertEquals(List.of("auth.link.started", "auth.link.failed"),
                events.stream().map(event -> event.path("type").asText()).toList());
        assertEquals("token_store_failed", events.get(1).path("body").path("error").asText());
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }
}
