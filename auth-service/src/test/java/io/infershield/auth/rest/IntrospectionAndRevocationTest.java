package io.infershield.auth.rest;

import io.infershield.auth.service.DeviceFlowService;
import io.infershield.auth.service.Secrets;
import io.infershield.auth.support.TestClock;
import io.infershield.testkit.quarkus.KafkaResource;
import io.infershield.testkit.quarkus.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.infershield.auth.support.OAuthCalls.CLIENT;
import static io.infershield.auth.support.OAuthCalls.INTROSPECTION_CLIENT;
import static io.infershield.auth.support.OAuthCalls.OTHER_CLIENT;
import static io.infershield.auth.support.OAuthCalls.introspect;
import static io.infershield.auth.support.OAuthCalls.issueCredential;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;

/** {@code POST /oauth/introspect} (RFC 7662) and {@code POST /oauth/revoke} (RFC 7009). */
@QuarkusTest
// one application boot serves every test class that names the same resources
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class IntrospectionAndRevocationTest {

    private static final String INACTIVE = "{\"active\":false}";

    @Inject
    DeviceFlowService deviceFlow;

    @Inject
    TestClock clock;

    @Test
    void describesAnActiveCredential() throws Throwable {
        String credential = issueCredential(deviceFlow, "carol");
        long now = clock.instant().getEpochSecond();
        introspect(credential).then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("sub", equalTo("carol"))
                .body("tenant", equalTo("default"))
                .body("client_id", equalTo(CLIENT))
                .body("scope", equalTo("gateway"))
                .body("token_type", equalTo("Bearer"))
                .body("iat", equalTo((int) now))
                .body("exp", equalTo((int) (now + 3600)));
    }

    @Test
    void reportsAnUnknownCredentialInactive() {
        introspect("isk_" + Secrets.randomToken()).then().statusCode(200).body(equalTo(INACTIVE));
    }

    @Test
    void reportsAnExpiredCredentialInactive() throws Throwable {
        String credential = issueCredential(deviceFlow, "carol");
        clock.advance(Duration.ofHours(1));
        introspect(credential).then().statusCode(200).body(equalTo(INACTIVE));
    }

    @Test
    void revocationMakesACredentialInactive() throws Throwable {
        String credential = issueCredential(deviceFlow, "carol");
        given().contentType(ContentType.URLENC).formParam("token", credential).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke")
                .then().statusCode(200).header("Cache-Control", "no-store").body(emptyString());
        introspect(credential).then().statusCode(200).body(equalTo(INACTIVE));
    }

    @Test
    void revokingAnUnknownTokenSucceeds() {
        given().contentType(ContentType.URLENC).formParam("token", "isk_" + Secrets.randomToken()).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke")
                .then().statusCode(200).body(emptyString());
    }

    @Test
    void anotherClientCannotRevokeACredential() throws Throwable {
        String credential = issueCredential(deviceFlow, "carol");
        given().contentType(ContentType.URLENC).formParam("token", credential).formParam("client_id", OTHER_CLIENT)
                .when().post("/oauth/revoke")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        introspect(credential).then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void revocationRejectsUnknownClientAndMissingToken() {
        given().contentType(ContentType.URLENC).formParam("token", "isk_x").formParam("client_id", "evil-cli")
                .when().post("/oauth/revoke")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().contentType(ContentType.URLENC).formParam("client_id", CLIENT)
                .when().post("/oauth/revoke")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void introspectionWithoutCallerAuthenticationIsRefusedWithABasicChallenge() throws Throwable {
        String credential = issueCredential(deviceFlow, "carol");
        given().contentType(ContentType.URLENC).formParam("token", credential)
                .when().post("/oauth/introspect")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"infershield\"")
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void introspectionWithAWrongSecretOrClientIsRefused() throws Throwable {
        String credential = issueCredential(deviceFlow, "carol");
        given().auth().preemptive().basic(INTROSPECTION_CLIENT, "wrong-secret")
                .contentType(ContentType.URLENC).formParam("token", credential)
                .when().post("/oauth/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("someone-else", "test-only-introspection-secret")
                .contentType(ContentType.URLENC).formParam("token", credential)
                .when().post("/oauth/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        given().header("Authorization", "Basic !!not-base64!!")
                .contentType(ContentType.URLENC).formParam("token", credential)
                .when().post("/oauth/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void introspectionRequiresTheTokenParameter() {
        given().auth().preemptive().basic(INTROSPECTION_CLIENT, "test-only-introspection-secret")
                .contentType(ContentType.URLENC).formParam("token_type_hint", "access_token")
                .when().post("/oauth/introspect")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void discoveryAdvertisesTheEndpointsAndTheDeviceGrant() {
        given().when().get("/.well-known/oauth-authorization-server")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("issuer", equalTo("https://auth.example.test"))
                .body("device_authorization_endpoint", equalTo("https://auth.example.test/oauth/device_authorization"))
                .body("token_endpoint", equalTo("https://auth.example.test/oauth/token"))
                .body("introspection_endpoint", equalTo("https://auth.example.test/oauth/introspect"))
                .body("revocation_endpoint", equalTo("https://auth.example.test/oauth/revoke"))
                .body("grant_types_supported", equalTo(List.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token")))
                .body("token_endpoint_auth_methods_supported", equalTo(List.of("none")))
                .body("introspection_endpoint_auth_methods_supported", equalTo(List.of("client_secret_basic")))
                .body("response_types_supported", equalTo(List.of()))
                .body("scopes_supported", equalTo(List.of("gateway")));
    }
}
