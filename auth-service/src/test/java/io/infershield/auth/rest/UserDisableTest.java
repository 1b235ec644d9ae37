package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.UserAdministration;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.auth.support.BrowserSession;
import io.infershield.auth.support.LinkUpstreams;
import io.infershield.auth.support.LinkUpstreams.Upstreams;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
import io.infershield.auth.support.TestDelayer;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.infershield.auth.support.LinkCalls.start;
import static io.infershield.auth.support.LinkCalls.tokenServiceStoresLinks;
import static io.infershield.auth.support.LinkCalls.user;
import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.decide;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueTokens;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.refresh;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disabling a user, the CISO's kill switch: {@code POST /api/admin/users/{subject}/disable}, {@code …/enable} and
 * {@code GET /api/admin/users/{subject}}. token-service is WireMock, as in the other link tests.
 */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = LinkUpstreams.class, scope = TestResourceScope.MATCHING_RESOURCES)
class UserDisableTest {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String ADMIN = "ciso";
    private static final String DISABLED_DETAIL = "Your account is disabled. Ask your administrator to enable it again.";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    UserAdministration users;

    @Inject
    OutboxRelay relay;

    @Inject
    TestClock clock;

    @Inject
    TestDelayer delayer;

    @Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    @InjectInfra
    Upstreams upstreams;

    @InjectInfra
    Kafka kafka;

    @InjectInfra
    PostgresResource.Database db;

    @OidcWireMock
    WireMockServer oidc;

    @BeforeEach
    void tokenServiceHoldsNoLinksUnlessATestSaysOtherwise() {
        tokenServiceStoresLinks(upstreams.wiremock());
        upstreams.wiremock().stubFor(delete(urlPathMatching("/internal/v1/tenants/default/users/[^/]+/links"))
                .willReturn(revoked(0)));
    }

    @AfterEach
    void endOpenFlows() {
        delayer.abandonAll();
    }

    @Test
    void withoutATokenEveryUserEndpointIsAnUnauthorizedProblem() {
        for (Response response : List.of(given().when().post("/api/admin/users/dave/disable"),
                given().when().post("/api/admin/users/dave/enable"), given().when().get("/api/admin/users/dave"))) {
            response.then().statusCode(401)
                    .contentType(PROBLEM_JSON)
                    .header("WWW-Authenticate", "Bearer")
                    .body("status", equalTo(401))
                    .body("title", equalTo("Unauthorized"));
        }
    }

    @Test
    void aTokenWithoutTheRealmRoleAdminIsForbiddenAndDisablesNothing() throws Throwable {
        String user = user("frank");
        String credential = issueTokens(deviceFlow, user).path("access_token");
        RequestSpecification developer = given().auth().oauth2(tokenWithRealmRoles("mallory", List.of("user")));

        for (Response response : List.of(developer.when().post("/api/admin/users/" + user + "/disable"),
                given().auth().oauth2(tokenWithRealmRoles("mallory", List.of("user")))
                        .when().post("/api/admin/users/" + user + "/enable"),
                given().auth().oauth2(tokenWithRealmRoles("mallory", List.of("user")))
                        .when().get("/api/admin/users/" + user))) {
            response.then().statusCode(403)
                    .contentType(PROBLEM_JSON)
                    .body("status", equalTo(403))
                    .body("title", equalTo("Forbidden"));
        }
        introspect(credential).then().statusCode(200).body("active", equalTo(true));
        status(user).then().statusCode(200).body("disabled", equalTo(false));
    }

    @Test
    void disablingRevokesEveryCredentialLinkGrantAndSessionOfTheUserAndOnlyTheirs() throws Throwable {
        String user = user("dave");
        Response device = issueTokens(deviceFlow, user);
        String access = device.path("access_token");
        String personalKey = createPersonalKey(access).path("key");
        String linkSession = start(access, "github").then().statusCode(201).extract().path("id");
        Grant approved = startGrant(CLIENT);
        decide(deviceFlow, approved, true, user);
        Grant claimed = startGrant(CLIENT);
        claim(claimed, user);
        String othersCredential = issueTokens(deviceFlow, user("erin")).path("access_token");
        upstreams.wiremock().stubFor(delete(urlEqualTo(linksOf(user))).willReturn(revoked(2)));
        String disabledAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();

        status(user).then().statusCode(200).body("activeCredentials", equalTo(3));
        admin().contentType(ContentType.JSON).body("{\"reason\":\"Laptop stolen; ticket SEC-42\"}")
                .when().post("/api/admin/users/" + user + "/disable").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("subject", equalTo(user))
                .body("disabled", equalTo(true))
                .body("disabledAt", equalTo(disabledAt))
                .body("credentialsRevoked", equalTo(3))
                .body("linksRevoked", equalTo(2))
                .body("size()", equalTo(5));

        for (String credential : List.of(access, personalKey)) {
            introspect(credential).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
        }
        refresh(CLIENT, device.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        for (Grant grant : List.of(approved, claimed)) {
            poll(CLIENT, grant.deviceCode()).then().statusCode(400)
                    .body("error", equalTo("access_denied"))
                    .body("error_description", equalTo("The user's account is disabled."));
        }
        assertEquals("CANCELLED", linkSessionState(UUID.fromString(linkSession)));
        assertTrue(delayer.openWaitSeconds().isEmpty(), "the cancelled session no longer polls the provider");
        upstreams.wiremock().verify(1, deleteRequestedFor(urlEqualTo(linksOf(user)))
                .withHeader("X-InferShield-Purpose", com.github.tomakehurst.wiremock.client.WireMock.equalTo("disable"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching("Bearer .+")));
        introspect(othersCredential).then().statusCode(200).body("active", equalTo(true));
        status(user).then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("subject", equalTo(user))
                .body("disabled", equalTo(true))
                .body("disabledAt", equalTo(disabledAt))
                .body("disabledBy", equalTo(ADMIN))
                .body("reason", equalTo("Laptop stolen; ticket SEC-42"))
                .body("activeCredentials", equalTo(0))
                .body("linkRevocationPending", equalTo(false));

        List<JsonNode> events = eventsAbout(user);
        JsonNode disabled = only(events, "auth.user.disabled");
        assertEquals(Map.of("actor", ADMIN, "reason", "Laptop stolen; ticket SEC-42", "credentialsRevoked", 3,
                "deviceGrantsCancelled", 2, "linkSessionsCancelled", 1), bodyOf(disabled, "actor", "reason",
                "credentialsRevoked", "deviceGrantsCancelled", "linkSessionsCancelled"));
        assertTrue(disabled.at("/body/linksRevoked").isNull(), disabled.toString());
        assertEquals(2, only(events, "auth.user.links_revoked").at("/body/linksRevoked").asInt());
        assertEquals(ADMIN, only(events, "auth.user.links_revoked").at("/body/actor").asText());
        List<JsonNode> revocations = ofType(events, "auth.credential.revoked");
        // one for the device sign-in (its family, no credential id) and one for the personal key
        assertEquals(List.of("", "personal_key"), revocations.stream()
                .map(e -> e.at("/body/credentialKind").isNull() ? "" : e.at("/body/credentialKind").asText())
                .sorted().toList());
        revocations.forEach(e -> assertEquals("user_disabled", e.at("/body/reason").asText()));
        List<JsonNode> denials = ofType(events, "auth.device.denied");
        assertEquals(2, denials.size());
        denials.forEach(e -> assertEquals("user_disabled", e.at("/body/reason").asText()));
        assertEquals(linkSession, only(events, "auth.link.cancelled").at("/body/linkId").asText());
        String all = events.toString();
        for (String secret : List.of(access, personalKey, device.path("refresh_token"), approved.deviceCode())) {
            assertTrue(!all.contains(secret), "no event carries a credential or a code");
        }
    }

    @Test
    void disablingAgainIsTheSameStateWithWhatThisCallRevokedAndNoSecondEvent() throws Throwable {
        String user = user("twice");
        issueTokens(deviceFlow, user);
        String disabledAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
        admin().contentType(ContentType.JSON).body("{\"reason\":\"left\"}")
                .when().post("/api/admin/users/" + user + "/disable").then()
                .statusCode(200).body("credentialsRevoked", equalTo(2)).body("linksRevoked", equalTo(0));
        clock.advance(Duration.ofSeconds(5));

        given().auth().oauth2(tokenWithRealmRoles("other-admin", List.of("admin")))
                .contentType(ContentType.JSON).body("{\"reason\":\"again\"}")
                .when().post("/api/admin/users/" + user + "/disable").then()
                .statusCode(200)
                .body("subject", equalTo(user))
                .body("disabled", equalTo(true))
                .body("disabledAt", equalTo(disabledAt))
                .body("credentialsRevoked", equalTo(0))
                .body("linksRevoked", equalTo(0));

        status(user).then().body("disabledBy", equalTo(ADMIN)).body("reason", equalTo("left"));
        List<JsonNode> events = eventsAbout(user);
        assertEquals(1, ofType(events, "auth.user.disabled").size());
        assertEquals(0, ofType(events, "auth.user.links_revoked").size(), "nothing to report: no link was revoked");
    }

    @Test
    void aSubjectNeverSeenCanBeDisabledWithZeroCountsAndWithoutABody() {
        String user = user("newhire");

        admin().when().post("/api/admin/users/" + user + "/disable").then()
                .statusCode(200)
                .body("subject", equalTo(user))
                .body("disabled", equalTo(true))
                .body("credentialsRevoked", equalTo(0))
                .body("linksRevoked", equalTo(0));

        status(user).then().statusCode(200).body("disabled", equalTo(true)).body("reason", nullValue())
                .body("disabledBy", equalTo(ADMIN)).body("activeCredentials", equalTo(0));
    }

    @Test
    void aDisabledUserCannotApproveADeviceAtTheVerificationPageNorCreateAKeyOnTheAccountPage() {
        String user = user("paged");
        BrowserSession browser = BrowserSession.signInAs(oidc, user, user + "-session");
        String form = browser.get("/device").asString();
        String account = browser.get("/account").asString();
        Grant grant = startGrant(CLIENT);
        disable(user);

        for (String path : List.of("/device/confirm", "/device/approve")) {
            Response page = browser.submit(path, form, Map.of("user_code", grant.userCode()));
            assertEquals(403, page.statusCode(), path);
            assertTrue(page.asString().contains("<h1>Account disabled</h1>"), page.asString());
        }
        Response key = browser.submit("/account/keys", account, Map.of("name", "ide", "days", "30"));
        assertEquals(403, key.statusCode());
        assertTrue(key.asString().contains("<h1>Account disabled</h1>"), key.asString());
        poll(CLIENT, grant.deviceCode()).then().statusCode(400).body("error", equalTo("authorization_pending"));
        assertThrows(io.infershield.auth.service.UserDisabled.class,
                () -> decide(deviceFlow, grant, true, user), "the service refuses the approval too");
    }

    @Test
    void aCredentialThatEscapedTheDisableInARaceIsInactiveAndMayNeitherMintKeysNorStartLinks() throws Throwable {
        String user = user("racer");
        String access = issueTokens(deviceFlow, user).path("access_token");
        // the disable committed while this credential was being issued, so its revocation did not see it
        markDisabled(user);
        int deviceCodeRequests = upstreams.github().received("/login/device/code").size();

        introspect(access).then().statusCode(200).body("active", equalTo(false)).body("size()", equalTo(1));
        for (Response response : List.of(createPersonalKey(access), start(access, "github"))) {
            response.then().statusCode(403)
                    .contentType(PROBLEM_JSON)
                    .body("type", equalTo("about:blank"))
                    .body("title", equalTo("Forbidden"))
                    .body("status", equalTo(403))
                    .body("detail", equalTo(DISABLED_DETAIL))
                    .body("error", equalTo("user_disabled"));
        }
        assertEquals(deviceCodeRequests, upstreams.github().received("/login/device/code").size(),
                "no link was started at the provider");
    }

    @Test
    void enablingLetsTheUserSignInAgainAndRestoresNothing() throws Throwable {
        String user = user("returning");
        String old = issueTokens(deviceFlow, user).path("access_token");
        disable(user);
        Grant refused = startGrant(CLIENT);
        assertThrows(io.infershield.auth.service.UserDisabled.class, () -> decide(deviceFlow, refused, true, user));

        admin().when().post("/api/admin/users/" + user + "/enable").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("subject", equalTo(user))
                .body("disabled", equalTo(false))
                .body("size()", equalTo(2));
        admin().when().post("/api/admin/users/" + user + "/enable").then().statusCode(200)
                .body("disabled", equalTo(false));

        introspect(old).then().statusCode(200).body("active", equalTo(false));
        String fresh = issueTokens(deviceFlow, user).path("access_token");
        introspect(fresh).then().statusCode(200).body("active", equalTo(true)).body("sub", equalTo(user));
        createPersonalKey(fresh).then().statusCode(201);
        status(user).then().statusCode(200)
                .body("disabled", equalTo(false))
                .body("disabledAt", nullValue())
                .body("disabledBy", nullValue())
                .body("reason", nullValue())
                .body("activeCredentials", equalTo(3));
        JsonNode enabled = only(eventsAbout(user), "auth.user.enabled");
        assertEquals(ADMIN, enabled.at("/body/actor").asText());
        assertTrue(enabled.at("/body/reason").isNull());
    }

    @Test
    void aBadBodyOrSubjectIsAPreciseBadRequestAndDisablesNothing() {
        String user = user("careful");
        Map<String, String> bodies = Map.of(
                "{\"reason\":\"" + "x".repeat(501) + "\"}", "\"reason\" must be at most 500 characters; it has 501.",
                "{\"reason\":", "The body is not valid JSON: send an object such as {\"reason\": \"…\"}, with each member once.",
                "{\"reason\":\"a\",\"reason\":\"b\"}", "The body is not valid JSON: send an object such as {\"reason\": \"…\"}, with each member once.",
                "[\"left\"]", "The body must be a JSON object, such as {\"reason\": \"…\"}.",
                "{\"reason\":42}", "\"reason\" must be a string.",
                "{\"reasons\":\"left\"}", "The body may hold only the member \"reason\".",
                "{\"reason\":\"nul \\u0000 byte\"}", "\"reason\" must not contain control characters other than tab and line breaks.");

        bodies.forEach((body, detail) -> admin().contentType(ContentType.JSON).body(body)
                .when().post("/api/admin/users/" + user + "/disable").then()
                .statusCode(400)
                .contentType(PROBLEM_JSON)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("status", equalTo(400))
                .body("detail", equalTo(detail)));
        admin().contentType(ContentType.TEXT).body("left the company")
                .when().post("/api/admin/users/" + user + "/disable").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("detail", equalTo("The body must be JSON (Content-Type: application/json), such as {\"reason\": \"…\"}."));
        admin().when().post("/api/admin/users/" + "u".repeat(256) + "/disable").then()
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("detail", equalTo("The subject must be 1 to 255 characters without control characters."));

        status(user).then().statusCode(200).body("disabled", equalTo(false));
        admin().contentType(ContentType.JSON).body("{\"reason\":\"" + "é".repeat(500) + "\"}")
                .when().post("/api/admin/users/" + user + "/disable").then().statusCode(200);
        status(user).then().body("reason", equalTo("é".repeat(500)));
    }

    @Test
    void whenTokenServiceIsDownTheDisableHoldsAndTheLinkRevocationIsOwedUntilARetryGetsThrough() throws Throwable {
        String user = user("offline");
        String access = issueTokens(deviceFlow, user).path("access_token");
        WireMockServer tokenService = upstreams.wiremock();
        tokenService.stubFor(delete(urlEqualTo(linksOf(user)))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String disabledAt = clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();

        for (int credentialsRevoked : new int[] {2, 0}) {
            admin().when().post("/api/admin/users/" + user + "/disable").then()
                    .statusCode(503)
                    .contentType(PROBLEM_JSON)
                    .header("Retry-After", "30")
                    .body("type", equalTo("about:blank"))
                    .body("title", equalTo("Service Unavailable"))
                    .body("status", equalTo(503))
                    .body("detail", containsString("token-service did not confirm the revocation of their provider links"))
                    .body("error", equalTo("link_revocation_pending"))
                    .body("subject", equalTo(user))
                    .body("disabled", equalTo(true))
                    .body("disabledAt", equalTo(disabledAt))
                    .body("credentialsRevoked", equalTo(credentialsRevoked))
                    .body("linksRevoked", nullValue());
        }
        // three attempts per disable while the administrator waits
        tokenService.verify(6, deleteRequestedFor(urlEqualTo(linksOf(user))));
        introspect(access).then().statusCode(200).body("active", equalTo(false));
        status(user).then().body("disabled", equalTo(true)).body("linkRevocationPending", equalTo(true));

        tokenService.stubFor(delete(urlEqualTo(linksOf(user))).willReturn(revoked(1)));
        assertEquals(0, retryNow(), "the retry waits out its back-off");
        assertTrue(owedGauge() >= 1, "the SRE sees the owed revocation");
        tokenService.verify(6, deleteRequestedFor(urlEqualTo(linksOf(user))));
        clock.advance(Duration.ofHours(2));
        assertTrue(retryNow() >= 1);
        tokenService.verify(7, deleteRequestedFor(urlEqualTo(linksOf(user))));

        status(user).then().body("disabled", equalTo(true)).body("linkRevocationPending", equalTo(false));
        assertEquals(0, retryNow(), "nothing is owed any more");
        assertEquals(0, owedGauge());
        JsonNode revokedLater = only(eventsAbout(user), "auth.user.links_revoked");
        assertEquals(1, revokedLater.at("/body/linksRevoked").asInt());
        assertEquals(ADMIN, revokedLater.at("/body/actor").asText());
    }

    @Test
    void aRevocationOwedTwiceBacksOffLongerAndAConfirmationOfNothingIsStillReported() throws Throwable {
        String user = user("flaky");
        WireMockServer tokenService = upstreams.wiremock();
        tokenService.stubFor(delete(urlEqualTo(linksOf(user))).willReturn(aResponse().withStatus(503)));
        admin().when().post("/api/admin/users/" + user + "/disable").then().statusCode(503);
        tokenService.verify(3, deleteRequestedFor(urlEqualTo(linksOf(user))));
        clock.advance(Duration.ofMinutes(61));
        retryNow();
        // each retry asks as often as the disable did
        tokenService.verify(6, deleteRequestedFor(urlEqualTo(linksOf(user))));

        tokenService.stubFor(delete(urlEqualTo(linksOf(user))).willReturn(revoked(0)));
        // the second failure doubled the wait: an hour later it is not due yet, two hours later it is
        clock.advance(Duration.ofMinutes(61));
        retryNow();
        tokenService.verify(6, deleteRequestedFor(urlEqualTo(linksOf(user))));
        clock.advance(Duration.ofMinutes(61));
        retryNow();
        tokenService.verify(7, deleteRequestedFor(urlEqualTo(linksOf(user))));

        status(user).then().body("linkRevocationPending", equalTo(false));
        assertEquals(0, only(eventsAbout(user), "auth.user.links_revoked").at("/body/linksRevoked").asInt());
    }

    @Test
    void nothingMintedInARaceWithTheDisableSurvivesIt() throws Throwable {
        String user = user("racing");
        List<Grant> grants = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Grant grant = startGrant(CLIENT);
            decide(deviceFlow, grant, true, user);
            grants.add(grant);
        }
        String refreshToken = issueTokens(deviceFlow, user).path("refresh_token");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Response>> exchanges = new java.util.ArrayList<>();
            for (Grant grant : grants) {
                exchanges.add(pool.submit(() -> {
                    go.await();
                    return poll(CLIENT, grant.deviceCode());
                }));
            }
            exchanges.add(pool.submit(() -> {
                go.await();
                return refresh(CLIENT, refreshToken);
            }));
            java.util.concurrent.Future<Response> disabled = pool.submit(() -> {
                go.await();
                return admin().when().post("/api/admin/users/" + user + "/disable");
            });
            go.countDown();

            disabled.get().then().statusCode(200);
            for (java.util.concurrent.Future<Response> exchange : exchanges) {
                Response answer = exchange.get();
                if (answer.statusCode() == 200) {
                    introspect(answer.path("access_token")).then().body("active", equalTo(false));
                } else {
                    assertEquals(400, answer.statusCode(), answer.asString());
                    assertTrue(List.of("access_denied", "invalid_grant").contains(answer.<String>path("error")),
                            answer.asString());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // not one credential of the user is left unrevoked, whichever way each race went
        assertEquals(0, unrevokedCredentials(user));
        status(user).then().body("activeCredentials", equalTo(0));
    }

    @Test
    void aLinkWhoseTokensWereOnTheirWayToTokenServiceWhenTheUserWasDisabledIsRemovedAgain() throws Throwable {
        String user = user("inflight");
        String access = issueTokens(deviceFlow, user).path("access_token");
        WireMockServer tokenService = upstreams.wiremock();
        String link = linksOf(user) + "/github";
        // token-service takes its time to store, long enough for the disable to come in between
        tokenService.stubFor(put(urlEqualTo(link)).willReturn(aResponse().withStatus(200).withFixedDelay(2000)
                .withHeader("Content-Type", "application/json").withBody("{\"provider\":\"github\",\"state\":\"linked\","
                        + "\"scopes\":[],\"linkedAt\":\"2025-01-01T00:00:00Z\",\"expiresAt\":null,\"lastRefreshAt\":null,"
                        + "\"brokenReason\":null}")));
        tokenService.stubFor(delete(urlEqualTo(link)).willReturn(aResponse().withStatus(204)));
        Response started = start(access, "github");
        upstreams.github().approve(started.path("userCode"), "inflight-gh");
        delayer.advance(Duration.ofSeconds(5), upstreams.clock());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> !tokenService.findAll(putRequestedFor(urlEqualTo(link))).isEmpty());

        disable(user);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> !tokenService.findAll(deleteRequestedFor(urlEqualTo(link))).isEmpty());
        assertEquals("CANCELLED", linkSessionState(UUID.fromString(started.path("id"))));
        assertEquals(0, ofType(eventsAbout(user), "auth.link.linked").size());
    }

    private double owedGauge() {
        return registry.get("infershield.auth.link.revocations.owed").gauge().value();
    }

    private int retryNow() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(users::retryOwedLinkRevocations);
    }

    private void disable(String user) {
        admin().when().post("/api/admin/users/" + user + "/disable").then().statusCode(200);
    }

    private static RequestSpecification admin() {
        return given().auth().oauth2(tokenWithRealmRoles(ADMIN, List.of("admin")));
    }

    private static Response status(String user) {
        return admin().when().get("/api/admin/users/" + user);
    }

    private static Response createPersonalKey(String access) {
        return given().auth().oauth2(access).contentType(ContentType.JSON).body("{\"name\":\"ide\",\"days\":30}")
                .when().post("/api/me/personal-keys");
    }

    private void claim(Grant grant, String user) throws Throwable {
        assertTrue(VertxContextSupport.subscribeAndAwait(() -> deviceFlow.claim(grant.canonicalUserCode(), user)) != null);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder revoked(int count) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"revoked\":" + count + "}");
    }

    private static String linksOf(String user) {
        return "/internal/v1/tenants/default/users/" + user + "/links";
    }

    private List<JsonNode> eventsAbout(String user) throws Throwable {
        AuthEventLog.relay(relay);
        return AuthEventLog.values(kafka).stream().map(AuthEventLog::parse)
                .filter(event -> user.equals(event.path("subject").asText())).toList();
    }

    private static List<JsonNode> ofType(List<JsonNode> events, String type) {
        return events.stream().filter(event -> type.equals(event.path("type").asText())).toList();
    }

    private static JsonNode only(List<JsonNode> events, String type) {
        List<JsonNode> found = ofType(events, type);
        assertEquals(1, found.size(), type + " in " + events);
        return found.get(0);
    }

    private static Map<String, Object> bodyOf(JsonNode event, String... fields) {
        Map<String, Object> body = new java.util.HashMap<>();
        for (String field : fields) {
            JsonNode value = event.path("body").path(field);
            body.put(field, value.isInt() ? (Object) value.asInt() : value.asText());
        }
        return body;
    }

    private String linkSessionState(UUID id) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select state from link_session where id = ?")) {
            q.setObject(1, id);
            ResultSet row = q.executeQuery();
            row.next();
            return row.getString(1);
        }
    }

    private int unrevokedCredentials(String user) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select count(*) from gateway_credential where subject = ? and revoked_at is null")) {
            q.setString(1, user);
            ResultSet row = q.executeQuery();
            row.next();
            return row.getInt(1);
        }
    }

    private void markDisabled(String user) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "insert into disabled_user (tenant, subject, disabled_at, disabled_by) values ('default', ?, ?, ?)")) {
            q.setString(1, user);
            q.setTimestamp(2, Timestamp.from(clock.instant()));
            q.setString(3, ADMIN);
            q.executeUpdate();
        }
    }

    /** An access token as Keycloak issues it, with realm roles under realm_access, signed by the mock provider's key. */
    private static String tokenWithRealmRoles(String user, List<String> roles) {
        return Jwt.preferredUserName(user).subject(user)
                .claim("realm_access", Map.of("roles", roles))
                .issuer("https://server.example.com").audience("https://service.example.com")
                .jws().keyId("1").sign("privateKey.jwk");
    }
}
