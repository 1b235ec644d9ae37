package io.infershield.auth.rest;

import io.infershield.auth.service.Secrets;
import io.infershield.auth.service.UserCodes;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.NO_DEVICE_CLIENT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /oauth/device_authorization} (RFC 8628 §3.1, §3.2). */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DeviceAuthorizationEndpointTest {

    private static final String USER_CODE_PATTERN = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";

    @InjectInfra
    PostgresResource.Database db;

    @Test
    void issuesCodesWithVerificationUrisExpiryAndInterval() {
        String userCode = given().contentType(ContentType.URLENC).formParam("client_id", CLIENT).formParam("scope", "gateway")
                .when().post("/oauth/device_authorization")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .body("device_code", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("user_code", matchesPattern(USER_CODE_PATTERN))
                .body("verification_uri", equalTo("https://auth.example.test/device"))
                .body("expires_in", equalTo(600))
                .body("interval", equalTo(5))
                .extract().path("user_code");
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT)
                .when().post("/oauth/device_authorization")
                .then().statusCode(200)
                .body("verification_uri_complete", matchesPattern("https://auth\\.example\\.test/device\\?user_code=" + USER_CODE_PATTERN));
        assertTrue(userCode.matches(USER_CODE_PATTERN));
    }

    @Test
    void rejectsJsonBodyWithInvalidRequestInsteadOf415() {
        given().contentType(ContentType.JSON).body("{\"client_id\":\"infershield-cli\"}")
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("The body must be application/x-www-form-urlencoded."));
    }

    @Test
    void rejectsRequestWithoutContentType() {
        given().body("client_id=infershield-cli")
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void rejectsUnknownClientWith401() {
        given().contentType(ContentType.URLENC).formParam("client_id", "evil-cli")
                .when().post("/oauth/device_authorization")
                .then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void rejectsAClientWithoutTheDeviceGrantWithUnauthorizedClient() {
        given().contentType(ContentType.URLENC).formParam("client_id", NO_DEVICE_CLIENT)
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("unauthorized_client"))
                .body("error_description", equalTo("The client is not allowed to use this grant type."));
    }

    @Test
    void rejectsMissingClientId() {
        given().contentType(ContentType.URLENC).formParam("scope", "gateway")
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("Parameter 'client_id' is missing."));
    }

    @Test
    void rejectsRepeatedParameter() {
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT, CLIENT)
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("Parameter 'client_id' is repeated."));
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT).formParam("scope", "gateway", "gateway")
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void rejectsScopeTheClientMayNotRequest() {
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT).formParam("scope", "gateway admin")
                .when().post("/oauth/device_authorization")
                .then().statusCode(400)
                .body("error", equalTo("invalid_scope"));
    }

    @Test
    void storesOnlyTheDeviceCodeHashWithRequesterDetails() throws Exception {
        String deviceCode = given().contentType(ContentType.URLENC).header("User-Agent", "JetBrains-Plugin/1.2")
                .formParam("client_id", CLIENT)
                .when().post("/oauth/device_authorization")
                .then().statusCode(200).extract().path("device_code");
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select requester_ip, requester_user_agent, scope, status"
                     + " from device_grant where device_code_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(deviceCode));
            ResultSet row = q.executeQuery();
            assertTrue(row.next());
            assertEquals("127.0.0.1", row.getString("requester_ip"));
            assertEquals("JetBrains-Plugin/1.2", row.getString("requester_user_agent"));
            assertEquals("gateway", row.getString("scope"));
            assertEquals("PENDING", row.getString("status"));
        }
    }

    @Test
    void drawsAnotherUserCodeWhenOneCollidesWithALivePendingCode() {
        QuarkusMock.installMockForType(new ScriptedUserCodes("ZZZZZZZZ", "ZZZZZZZZ", "XXXXXXXX"), UserCodes.class);
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT)
                .when().post("/oauth/device_authorization")
                .then().statusCode(200).body("user_code", equalTo("ZZZZ-ZZZZ"));
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT)
                .when().post("/oauth/device_authorization")
                .then().statusCode(200).body("user_code", equalTo("XXXX-XXXX"));
    }

    /** Hands out fixed codes in order, to force a collision. */
    static class ScriptedUserCodes extends UserCodes {
        private final Deque<String> codes;

        ScriptedUserCodes(String... codes) {
            this.codes = new ArrayDeque<>(List.of(codes));
        }

        @Override
        public synchronized String next() {
            return codes.removeFirst();
        }
    }
}
