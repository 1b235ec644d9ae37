package io.infershield.auth.rest;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.OTHER_CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueTokens;
import static io.infershield.auth.support.OAuthCalls.refresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@code POST /oauth/token} with {@code grant_type=refresh_token} (RFC 6749 §6), with rotation (RFC 9700 §4.14.2). */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class RefreshTokenTest {

    private static final String INACTIVE = "{\"active\":false}";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    @InjectInfra
    PostgresResource.Database db;

    @Test
    void refreshRotatesBothCredentialsAndRetiresTheOldRefreshToken() throws Throwable {
        Response first = issueTokens(deviceFlow, "dave");
        String oldRefresh = first.path("refresh_token");
        clock.advance(Duration.ofMinutes(50));

        Response second = refresh(CLIENT, oldRefresh);
        second.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("access_token", matchesPattern("isk_[A-Za-z0-9_-]{43}"))
                .body("refresh_token", matchesPattern("isr_[A-Za-z0-9_-]{43}"))
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600))
                .body("scope", equalTo("gateway"));
        assertNotEquals(oldRefresh, second.path("refresh_token"));
        introspect(second.path("access_token")).then().statusCode(200)
                .body("active", equalTo(true)).body("sub", equalTo("dave"));
        assertNotNull(usedAt(oldRefresh));

        // the new refresh token works in turn
        refresh(CLIENT, second.path("refresh_token")).then().statusCode(200);
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheWholeFamily() throws Throwable {
        Response first = issueTokens(deviceFlow, "dave");
        Response second = refresh(CLIENT, first.path("refresh_token"));
        second.then().statusCode(200);

        refresh(CLIENT, first.path("refresh_token")).then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_grant"));
        introspect(second.path("access_token")).then().statusCode(200).body(equalTo(INACTIVE));
        introspect(first.path("access_token")).then().statusCode(200).body(equalTo(INACTIVE));
        refresh(CLIENT, second.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void anExpiredRefreshTokenIsRefused() throws Throwable {
        String refreshToken = issueTokens(deviceFlow, "dave").path("refresh_token");
        clock.advance(Duration.ofDays(30));
        refresh(CLIENT, refreshToken).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void anotherClientCannotUseTheRefreshTokenAndTheRightfulClientStillCan() throws Throwable {
        String refreshToken = issueTokens(deviceFlow, "dave").path("refresh_token");
        refresh(OTHER_CLIENT, refreshToken).then().statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(CLIENT, refreshToken).then().statusCode(200);
    }

    @Test
    void unknownRefreshTokensAndAccessCredentialsAreRefused() throws Throwable {
        refresh(CLIENT, "isr_" + Secrets.randomToken()).then().statusCode(400).body("error", equalTo("invalid_grant"));
        String access = issueTokens(deviceFlow, "dave").path("access_token");
        refresh(CLIENT, access).then().statusCode(400).body("error", equalTo("invalid_grant"));
        introspect(access).then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void refreshRequiresTheRefreshTokenParameterAndAKnownClient() {
        given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token").formParam("client_id", CLIENT)
                .when().post("/oauth/token")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("Parameter 'refresh_token' is missing."));
        refresh("evil-cli", "isr_x").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void introspectionReportsARefreshTokenInactive() throws Throwable {
        String refreshToken = issueTokens(deviceFlow, "dave").path("refresh_token");
        introspect(refreshToken).then().statusCode(200).body(equalTo(INACTIVE));
    }

    @Test
    void revokingARefreshTokenRevokesItsAccessCredentialToo() throws Throwable {
        Response tokens = issueTokens(deviceFlow, "dave");
        String refreshToken = tokens.path("refresh_token");
        given().contentType(ContentType.URLENC).formParam("token", refreshToken).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke")
                .then().statusCode(200);
        introspect(tokens.path("access_token")).then().statusCode(200).body(equalTo(INACTIVE));
        refresh(CLIENT, refreshToken).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void theRefreshTokenIsStoredHashedInTheFamilyOfItsGrant() throws Throwable {
        Response tokens = issueTokens(deviceFlow, "dave");
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select kind, family_id from gateway_credential where token_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(tokens.path("refresh_token")));
            ResultSet refreshRow = q.executeQuery();
            refreshRow.next();
            assertEquals("REFRESH", refreshRow.getString("kind"));
            String family = refreshRow.getString("family_id");
            q.setString(1, Secrets.sha256Hex(tokens.path("access_token")));
            ResultSet accessRow = q.executeQuery();
            accessRow.next();
            assertEquals("ACCESS", accessRow.getString("kind"));
            assertEquals(family, accessRow.getString("family_id"));
        }
    }

    private Instant usedAt(String refreshToken) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select used_at from gateway_credential where token_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(refreshToken));
            ResultSet row = q.executeQuery();
            row.next();
            Timestamp used = row.getTimestamp(1);
            return used == null ? null : used.toInstant();
        }
    }
}
