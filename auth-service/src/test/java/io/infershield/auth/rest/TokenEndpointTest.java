package io.infershield.auth.rest;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.OAuthCalls.Grant;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.DEVICE_CODE_GRANT;
import static io.infershield.auth.support.OAuthCalls.NO_DEVICE_CLIENT;
import static io.infershield.auth.support.OAuthCalls.OTHER_CLIENT;
import static io.infershield.auth.support.OAuthCalls.decide;
import static io.infershield.auth.support.OAuthCalls.poll;
import static io.infershield.auth.support.OAuthCalls.startGrant;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code POST /oauth/token} with the device code grant (RFC 8628 §3.4, §3.5). */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TokenEndpointTest {

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    @InjectInfra
    PostgresResource.Database db;

    @Test
    void answersAuthorizationPendingUntilTheUserDecides() {
        Grant grant = startGrant(CLIENT);
        assertError(poll(CLIENT, grant.deviceCode()), "authorization_pending");
        clock.advance(Duration.ofSeconds(5));
        assertError(poll(CLIENT, grant.deviceCode()), "authorization_pending");
    }

    @Test
    void slowDownAddsFiveSecondsAndRecoversWhenTheClientHonoursTheNewInterval() throws Exception {
        Grant grant = startGrant(CLIENT);
        assertError(poll(CLIENT, grant.deviceCode()), "authorization_pending");
        assertError(poll(CLIENT, grant.deviceCode()), "slow_down");

        clock.advance(Duration.ofSeconds(10));
        assertError(poll(CLIENT, grant.deviceCode()), "authorization_pending");

        // the grown interval is kept: the original five-second pace is now too fast
        clock.advance(Duration.ofSeconds(5));
        assertError(poll(CLIENT, grant.deviceCode()), "slow_down");
        clock.advance(Duration.ofSeconds(15));
        assertError(poll(CLIENT, grant.deviceCode()), "authorization_pending");
        assertEquals(15, intervalOf(grant));
    }

    @Test
    void answersExpiredTokenAfterExpiresInAndTheCodeCanNoLongerBeApproved() throws Throwable {
        Grant grant = startGrant(CLIENT);
        clock.advance(Duration.ofSeconds(600));
        assertError(poll(CLIENT, grant.deviceCode()), "expired_token");
        assertFalse(VertxContextSupport.subscribeAndAwait(() -> deviceFlow.decide(grant.canonicalUserCode(), true, "bob", List.of())));
        assertError(poll(CLIENT, grant.deviceCode()), "expired_token");
    }

    @Test
    void issuesAnIskCredentialAndAnIsrRefreshTokenOnceAfterApproval() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "bob");
        poll(CLIENT, grant.deviceCode()).then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("access_token", matchesPattern("isk_[A-Za-z0-9_-]{43}"))
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600))
                .body("scope", equalTo("gateway"))
                .body("refresh_token", matchesPattern("isr_[A-Za-z0-9_-]{43}"));
        assertError(poll(CLIENT, grant.deviceCode()), "invalid_grant");
    }

    @Test
    void twentyParallelPollsAfterApprovalYieldExactlyOneCredential() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "bob");
        int polls = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(polls);
        try {
            List<Future<Response>> results = new ArrayList<>();
            for (int i = 0; i < polls; i++) {
                Callable<Response> poll = () -> {
                    start.await();
                    return poll(CLIENT, grant.deviceCode());
                };
                results.add(pool.submit(poll));
            }
            start.countDown();
            int issued = 0;
            int refused = 0;
            for (Future<Response> result : results) {
                Response response = result.get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    issued++;
                } else if (response.statusCode() == 400 && "invalid_grant".equals(response.path("error"))) {
                    refused++;
                }
            }
            assertEquals(1, issued);
            assertEquals(polls - 1, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anotherClientCannotRedeemTheDeviceCode() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "bob");
        assertError(poll(OTHER_CLIENT, grant.deviceCode()), "invalid_grant");
        // the rightful client still can
        poll(CLIENT, grant.deviceCode()).then().statusCode(200);
    }

    @Test
    void answersAccessDeniedAfterTheUserDenies() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, false, "bob");
        assertError(poll(CLIENT, grant.deviceCode()), "access_denied");
        assertFalse(VertxContextSupport.subscribeAndAwait(() -> deviceFlow.decide(grant.canonicalUserCode(), true, "bob", List.of())));
        assertError(poll(CLIENT, grant.deviceCode()), "access_denied");
    }

    @Test
    void answersInvalidGrantForAnUnknownDeviceCode() {
        assertError(poll(CLIENT, Secrets.randomToken()), "invalid_grant");
    }

    @Test
    void rejectsOtherGrantTypes() {
        given().contentType(ContentType.URLENC)
                .formParam("grant_type", "authorization_code").formParam("code", "x").formParam("client_id", CLIENT)
                .when().post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void aClientWithoutTheDeviceGrantGetsUnauthorizedClientAndTheCodeStaysRedeemable() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "bob");
        poll(NO_DEVICE_CLIENT, grant.deviceCode()).then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("unauthorized_client"));
        poll(CLIENT, grant.deviceCode()).then().statusCode(200);
    }

    @Test
    void rejectsUnknownClientWith401() {
        Grant grant = startGrant(CLIENT);
        poll("evil-cli", grant.deviceCode()).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void rejectsRepeatedDeviceCodeAndMissingParameters() {
        Grant grant = startGrant(CLIENT);
        given().contentType(ContentType.URLENC).formParam("grant_type", DEVICE_CODE_GRANT)
                .formParam("device_code", grant.deviceCode(), grant.deviceCode()).formParam("client_id", CLIENT)
                .when().post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        given().contentType(ContentType.URLENC).formParam("grant_type", DEVICE_CODE_GRANT).formParam("client_id", CLIENT)
                .when().post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void rejectsJsonBodyWithInvalidRequest() {
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void databaseHoldsNoRawDeviceCodeOrCredential() throws Throwable {
        Grant grant = startGrant(CLIENT);
        decide(deviceFlow, grant, true, "bob");
        Response tokens = poll(CLIENT, grant.deviceCode());
        tokens.then().statusCode(200);
        String credential = tokens.path("access_token");
        String refreshToken = tokens.path("refresh_token");
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            String everything = dump(s, "select * from device_grant") + dump(s, "select * from gateway_credential");
            assertFalse(everything.contains(grant.deviceCode()));
            assertFalse(everything.contains(credential));
            assertFalse(everything.contains(credential.substring(4)));
            assertFalse(everything.contains(refreshToken.substring(4)));
            try (PreparedStatement q = c.prepareStatement("select subject from gateway_credential where token_hash = ?")) {
                q.setString(1, Secrets.sha256Hex(credential));
                ResultSet row = q.executeQuery();
                row.next();
                assertEquals("bob", row.getString(1));
            }
        }
    }

    private static String dump(Statement s, String query) throws Exception {
        StringBuilder all = new StringBuilder();
        try (ResultSet rows = s.executeQuery(query)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    all.append(rows.getString(i)).append('|');
                }
            }
        }
        return all.toString();
    }

    private int intervalOf(Grant grant) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select interval_seconds from device_grant where device_code_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(grant.deviceCode()));
            ResultSet row = q.executeQuery();
            row.next();
            return row.getInt(1);
        }
    }

    private static void assertError(Response response, String error) {
        response.then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo(error));
    }
}
