package io.infershield.auth.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.infershield.auth.messaging.OutboxRelay;
import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.AuthEventLog;
import io.infershield.testkit.infra.Kafka;
import io.infershield.testkit.quarkus.InjectInfra;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueTokens;
import static io.infershield.auth.support.OAuthCalls.refresh;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code DELETE /api/admin/users/{subject}/credentials}: an administrator revokes every credential of a user. */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class AdminCredentialRevocationTest {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    OutboxRelay relay;

    @InjectInfra
    PostgresResource.Database db;

    @InjectInfra
    Kafka kafka;

    @Test
    void withoutATokenTheAnswerIsAnUnauthorizedProblem() {
        given().when().delete("/api/admin/users/dave/credentials").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    @Test
    void aForgedTokenIsUnauthorized() {
        String token = tokenWithRealmRoles("root", List.of("admin"));
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "c2lnbmF0dXJl";
        given().auth().oauth2(forged)
                .when().delete("/api/admin/users/dave/credentials").then()
                .statusCode(401)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(401));
    }

    @Test
    void aTokenWithoutTheRealmRoleAdminIsForbiddenAndRevokesNothing() throws Throwable {
        String credential = issueTokens(deviceFlow, "frank").path("access_token");

        given().auth().oauth2(tokenWithRealmRoles("mallory", List.of("user")))
                .when().delete("/api/admin/users/frank/credentials").then()
                .statusCode(403)
                .contentType(PROBLEM_JSON)
                .body("status", equalTo(403))
                .body("title", equalTo("Forbidden"));
        introspect(credential).then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void theAdminGroupClaimAloneDoesNotGrantTheRole() {
        // the role must come from realm_access/roles, not from a groups claim a client could be mapped into
        given().auth().oauth2(OidcWiremockTestResource.getAccessToken("mallory", java.util.Set.of("admin")))
                .when().delete("/api/admin/users/frank/credentials").then()
                .statusCode(403)
                .contentType(PROBLEM_JSON);
    }

    @Test
    void anAdminRevokesEveryCredentialOfTheUserAndOnlyTheirs() throws Throwable {
        Response first = issueTokens(deviceFlow, "dave");
        Response second = issueTokens(deviceFlow, "dave");
        String othersCredential = issueTokens(deviceFlow, "erin").path("access_token");

        given().auth().oauth2(tokenWithRealmRoles("root", List.of("admin")))
                .when().delete("/api/admin/users/dave/credentials").then()
                .statusCode(204);

        for (Response tokens : List.of(first, second)) {
            introspect(tokens.path("access_token")).then().statusCode(200).body("active", equalTo(false));
            refresh(CLIENT, tokens.path("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        }
        introspect(othersCredential).then().statusCode(200).body("active", equalTo(true)).body("sub", equalTo("erin"));

        AuthEventLog.relay(relay);
        for (Response tokens : List.of(first, second)) {
            List<JsonNode> events = AuthEventLog.aboutGrant(kafka, familyOf(tokens.path("access_token")));
            JsonNode revoked = events.get(events.size() - 1);
            assertEquals("auth.credential.revoked", revoked.get("type").asText());
            assertEquals("dave", revoked.get("subject").asText());
            assertEquals("admin", revoked.at("/body/reason").asText());
            assertEquals(CLIENT, revoked.at("/body/clientId").asText());
            assertEquals(true, revoked.at("/body/credentialId").isNull());
        }
    }

    @Test
    void revokingAUserWithoutCredentialsIsNoContent() {
        given().auth().oauth2(tokenWithRealmRoles("root", List.of("admin")))
                .when().delete("/api/admin/users/nobody-here/credentials").then()
                .statusCode(204);
    }

    /** An access token as Keycloak issues it, with realm roles under realm_access, signed by the mock provider's key. */
    private static String tokenWithRealmRoles(String user, List<String> roles) {
        return Jwt.preferredUserName(user).subject(user)
                .claim("realm_access", Map.of("roles", roles))
                .issuer("https://server.example.com").audience("https://service.example.com")
                .jws().keyId("1").sign("privateKey.jwk");
    }

    private UUID familyOf(String credential) throws Exception {
        try (Connection c = db.connect();
             PreparedStatement q = c.prepareStatement("select family_id from gateway_credential where token_hash = ?")) {
            q.setString(1, Secrets.sha256Hex(credential));
            ResultSet row = q.executeQuery();
            row.next();
            return row.getObject(1, UUID.class);
        }
    }
}
