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
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 8628 §5.5 (session spying, checklist A11): the first signed-in user to confirm a code claims the request, and
 * nobody else who learns the code can approve or deny it.
 */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GrantClaimTest {

    private static final String INVALID = "<p class=\"error\" id=\"error\" role=\"alert\">" + DeviceResource.INVALID_CODE + "</p>";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    @InjectInfra
    PostgresResource.Database db;

    @OidcWireMock
    WireMockServer provider;

    @BeforeEach
    void startAFreshFailedEntryWindow() {
        clock.advance(Duration.ofMinutes(15));
    }

    @Test
    void aCodeAliceConfirmedCannotBeDecidedByBobAndStaysHersToApprove() throws Exception {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        Response confirm = alice.submit("/device/confirm", alice.get("/device").asString(),
                Map.of("user_code", grant.userCode()));
        assertEquals(200, confirm.statusCode());

        BrowserSession bob = BrowserSession.signInAs(provider, "bob", "bobs-session");
        String bobsForm = bob.get("/device").asString();
        for (String path : new String[] {"/device/confirm", "/device/approve", "/device/deny"}) {
            Response response = bob.submit(path, bobsForm, Map.of("user_code", grant.userCode()));
            assertEquals(400, response.statusCode(), path);
            assertTrue(response.asString().contains(INVALID), path);
        }
        assertEquals("PENDING alice", statusAndClaimOf(grant));
        poll(CLIENT, grant.deviceCode()).then().statusCode(400).body("error", equalTo("authorization_pending"));

        Response approve = alice.submit("/device/approve", confirm.asString(), Map.of("user_code", grant.userCode()));
        assertEquals(200, approve.statusCode());
        String credential = poll(CLIENT, grant.deviceCode()).then().statusCode(200).extract().path("access_token");
        introspect(credential).then().statusCode(200).body("sub", equalTo("alice"));
    }

    @Test
    void anotherAccountCannotDecideAClaimedCodeThroughTheServiceEither() throws Throwable {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        assertEquals(200, alice.submit("/device/confirm", alice.get("/device").asString(),
                Map.of("user_code", grant.userCode())).statusCode());

        assertFalse(VertxContextSupport.subscribeAndAwait(() -> deviceFlow.decide(grant.canonicalUserCode(), false, "bob", List.of())));
        assertEquals("PENDING alice", statusAndClaimOf(grant));
    }

    @Test
    void confirmingAgainKeepsTheFirstClaim() throws Exception {
        Grant grant = startGrant(CLIENT);
        BrowserSession alice = BrowserSession.signIn();
        String form = alice.get("/device").asString();
        assertEquals(200, alice.submit("/device/confirm", form, Map.of("user_code", grant.userCode())).statusCode());
        String firstClaim = claimedAtOf(grant);
        clock.advance(Duration.ofSeconds(30));

        Response again = alice.submit("/device/confirm", form, Map.of("user_code", grant.userCode()));

        assertEquals(200, again.statusCode());
        assertEquals(firstClaim, claimedAtOf(grant));
    }

    private String statusAndClaimOf(Grant grant) throws Exception {
        return queryGrant("status || ' ' || coalesce(claimed_by, '-')", grant);
    }

    private String claimedAtOf(Grant grant) throws Exception {
        return queryGrant("claimed_at::text", grant);
    }

    private String queryGrant(String column, Grant grant) throws Exception {
        try (Connection c = db.connect(); PreparedStatement q = c.prepareStatement(
                "select " + column + " from device_grant where device_code_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(grant.deviceCode()));
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            return row.getString(1);
        }
    }
}
