package io.infershield.auth.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.BrowserSession;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.decide;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8628 §5.1: failed code entries are limited per account, client IP and session, in fixed windows. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FailedEntryLimitTest {

    private static final String TOO_MANY = "<p id=\"result\">Too many attempts. Wait a few minutes and try again.</p>";
    private static final String BOB_SIGNS_IN = "bob-signs-in";
    /** The mock provider gives every sign-in this session id unless told otherwise. */
    private static final String MOCK_SESSION = "session-id";
    private static final String BOB_SESSION = "bobs-own-session";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    @InjectInfra
    PostgresResource.Database db;

    @OidcWireMock
    WireMockServer provider;

    @BeforeEach
    void startAFreshWindow() {
        clock.advance(Duration.ofMinutes(15));
    }

    @Test
    void fiveFailedEntriesBlockTheNextEntryEvenWithTheRightCode() throws Throwable {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        String form = alice.get("/device").asString();
        failFiveTimes(alice, form);

        Response blocked = alice.submit("/device/confirm", form, Map.of("user_code", grant.userCode()));
        assertEquals(429, blocked.statusCode());
        assertTrue(blocked.asString().contains(TOO_MANY), blocked.asString());
        Response approve = alice.submit("/device/approve", form, Map.of("user_code", grant.userCode()));
        assertEquals(429, approve.statusCode());
        poll(CLIENT, grant.deviceCode()).then().statusCode(400).body("error", equalTo("authorization_pending"));
    }

    @Test
    void afterTheWindowTheRightCodeIsAcceptedAgain() {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        String form = alice.get("/device").asString();
        failFiveTimes(alice, form);
        assertEquals(429, alice.submit("/device/confirm", form, Map.of("user_code", grant.userCode())).statusCode());

        clock.advance(Duration.ofMinutes(15));
        // the grant expired meanwhile, so the next one is the code the user would now be shown
        Grant fresh = startGrant(CLIENT);
        Response confirm = alice.submit("/device/confirm", form, Map.of("user_code", fresh.userCode()));
        assertEquals(200, confirm.statusCode(), confirm.asString());
        Response approve = alice.submit("/device/approve", confirm.asString(), Map.of("user_code", fresh.userCode()));
        assertEquals(200, approve.statusCode());
        poll(CLIENT, fresh.deviceCode()).then().statusCode(200);
    }

    @Test
    void anotherAccountFromTheSameAddressIsBlockedToo() {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        failFiveTimes(alice, alice.get("/device").asString());

        BrowserSession bob = signInAsBob();
        Response blocked = bob.submit("/device/confirm", bob.get("/device").asString(), Map.of("user_code", grant.userCode()));
        assertEquals(429, blocked.statusCode());
        assertTrue(blocked.asString().contains(TOO_MANY), blocked.asString());
    }

    @Test
    void eachKeyKeepsItsOwnCountAndARightCodeIsNotCounted() throws Exception {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        String aliceForm = alice.get("/device").asString();
        BrowserSession bob = signInAsBob();
        String bobForm = bob.get("/device").asString();

        for (int i = 0; i < 3; i++) {
            assertEquals(400, alice.submit("/device/confirm", aliceForm, Map.of("user_code", "BBBB-BBBB")).statusCode());
        }
        assertEquals(400, bob.submit("/device/confirm", bobForm, Map.of("user_code", "BCD")).statusCode());
        assertEquals(200, bob.submit("/device/confirm", bobForm, Map.of("user_code", grant.userCode())).statusCode());

        assertEquals(3, failuresOf("account:alice"));
        assertEquals(1, failuresOf("account:bob"));
        assertEquals(4, failuresOf("ip:127.0.0.1"));
        assertEquals(3, failuresOf("session:" + Secrets.sha256Hex(MOCK_SESSION)));
        assertEquals(1, failuresOf("session:" + Secrets.sha256Hex(BOB_SESSION)));
    }

    /** Unknown, used, expired and malformed codes all count, and all get the same message. */
    private void failFiveTimes(BrowserSession browser, String form) {
        Grant used = startGrant(CLIENT);
        try {
            decide(deviceFlow, used, true, "carol");
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
        poll(CLIENT, used.deviceCode()).then().statusCode(200);
        for (String code : new String[] {"BBBB-BBBB", "BCD", used.userCode(), "CCCC-CCCC", "DDDD-DDDD"}) {
            Response response = browser.submit("/device/confirm", form, Map.of("user_code", code));
            assertEquals(400, response.statusCode(), code);
            assertTrue(response.asString().contains(DeviceResource.INVALID_CODE), code);
        }
    }

    /** The mock provider signs everyone in as alice; this code makes it answer with bob's ID token, in his own session. */
    private BrowserSession signInAsBob() {
        provider.stubFor(post("/auth/realms/quarkus/token").atPriority(1)
                .withRequestBody(containing("code=" + BOB_SIGNS_IN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"access_token\":\""
                        + OidcWiremockTestResource.getAccessToken("bob", Set.of()) + "\",\"id_token\":\""
                        + OidcWiremockTestResource.getIdToken("bob", "quarkus-web-app", Map.of("sid", BOB_SESSION)) + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        return BrowserSession.signIn(BOB_SIGNS_IN);
    }

    private int failuresOf(String key) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select failures from failed_entry where limit_key = ?")) {
            q.setString(1, key);
            ResultSet row = q.executeQuery();
            return row.next() ? row.getInt(1) : 0;
        }
    }
}
