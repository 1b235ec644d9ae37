package io.infershield.auth.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.BrowserSession;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
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
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FailedEntryLimitTest {

    private static final String TOO_MANY = "<p id=\"result\">Too many attempts. Wait a few minutes and try again.</p>";
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
    void everyRefusedEntryIsRecordedAsABruteForceBlockOfTheAccount() throws Exception {
        BrowserSession alice = BrowserSession.signIn();
        String form = alice.get("/device").asString();
        failFiveTimes(alice, form);
        int before = blockEventsOf("alice");

        assertEquals(429, alice.submit("/device/confirm", form, Map.of("user_code", "BBBB-BBBB")).statusCode());
        assertEquals(429, alice.submit("/device/approve", form, Map.of("user_code", "BBBB-BBBB")).statusCode());

        assertEquals(before + 2, blockEventsOf("alice"));
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

    private BrowserSession signInAsBob() {
        return BrowserSession.signInAs(provider, "bob", BOB_SESSION);
    }

    private int blockEventsOf(String subject) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select count(*) from outbox_event where payload like ? and payload like ? and payload like ?")) {
            q.setString(1, "%\"type\":\"auth.bruteforce.blocked\"%");
            q.setString(2, "%\"subject\":\"" + subject + "\"%");
            q.setString(3, "%\"reason\":\"too_many_failed_entries\",\"requesterIp\":\"127.0.0.1\"%");
            ResultSet row = q.executeQuery();
            row.next();
            return row.getInt(1);
        }
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
